import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './schema';

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('configuration', () => {
  it('runs with no settings at all on the embedded defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 4000,
      WEB_PORT: 3000,
      STORAGE_DRIVER: 'local',
      PAYMENT_PROVIDERS: ['sandbox'],
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.cookieSecure).toBe(false);
    expect(c.paths.pglite).toMatch(/\.data\/pglite$/);
  });

  it('names every bad variable in one error', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must be a postgres/);
    expect(problems.join('\n')).toMatch(/JWT_SECRET: must be at least 32/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('refuses development-only settings in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      'JWT_SECRET: the development default is not allowed in production',
      'MEDIA_SIGNING_SECRET: the development default is not allowed in production',
      'AD_SIGNING_SECRET: the development default is not allowed in production',
      'PAYMENT_PROVIDERS: the sandbox provider is not allowed in production',
      'DATABASE_URL: required in production (or set ALLOW_EMBEDDED_DB_IN_PRODUCTION=true)',
    ]);
  });

  it('accepts a complete production configuration and secures cookies', () => {
    const c = parseConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(40),
      MEDIA_SIGNING_SECRET: 'b'.repeat(40),
      AD_SIGNING_SECRET: 'c'.repeat(40),
      PAYMENT_PROVIDERS: 'stripe, mtn_momo',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      MOMO_SUBSCRIPTION_KEY: 'sub',
      MOMO_API_USER: 'user',
      MOMO_API_KEY: 'key',
      DATABASE_URL: 'postgres://db/kush',
      DATABASE_REPLICA_URLS: 'postgres://r1/kush,postgres://r2/kush',
      WEB_URL: 'https://kushfilms.com',
      TRUST_PROXY: '2',
    });
    expect(c.isProduction).toBe(true);
    expect(c.cookieSecure).toBe(true);
    expect(c.PAYMENT_PROVIDERS).toEqual(['stripe', 'mtn_momo']);
    expect(c.DATABASE_REPLICA_URLS).toHaveLength(2);
    expect(c.TRUST_PROXY).toBe(2);
  });

  it('allows the embedded database in production only when asked explicitly', () => {
    const base = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(40),
      MEDIA_SIGNING_SECRET: 'b'.repeat(40),
      AD_SIGNING_SECRET: 'c'.repeat(40),
      PAYMENT_PROVIDERS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    };
    expect(problemsOf(base)).toHaveLength(1);
    expect(problemsOf({ ...base, ALLOW_EMBEDDED_DB_IN_PRODUCTION: 'true' })).toEqual([]);
  });

  it("requires each chosen payment provider's credentials", () => {
    expect(problemsOf({ PAYMENT_PROVIDERS: 'sandbox,airtel_money,stripe' })).toEqual([
      'AIRTEL_CLIENT_ID: required when PAYMENT_PROVIDERS includes airtel_money',
      'AIRTEL_CLIENT_SECRET: required when PAYMENT_PROVIDERS includes airtel_money',
      'STRIPE_SECRET_KEY: required when PAYMENT_PROVIDERS includes stripe',
      'STRIPE_WEBHOOK_SECRET: required when PAYMENT_PROVIDERS includes stripe',
    ]);
  });

  it('requires the S3 settings when the S3 driver is chosen', () => {
    expect(problemsOf({ STORAGE_DRIVER: 's3' })).toEqual([
      'S3_BUCKET: required when STORAGE_DRIVER=s3',
      'S3_ACCESS_KEY_ID: required when STORAGE_DRIVER=s3',
      'S3_SECRET_ACCESS_KEY: required when STORAGE_DRIVER=s3',
    ]);
  });

  it('caps the access-token lifetime at 15 minutes', () => {
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '3600' })[0]).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
  });
});
