import path from 'node:path';
import { z } from 'zod';

/** Values that only make sense on a developer's machine; production refuses them. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';
export const DEV_MEDIA_SECRET = 'dev-only-media-secret-change-me-0123456789abcdef';
export const DEV_AD_SECRET = 'dev-only-ad-secret-change-me-0123456789abcdef';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const url = z.url();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_API_URL: url.default('http://localhost:4000'),
  WEB_URL: url.default('http://localhost:3000'),
  // Read by the web app's server: the title page prices each quality's data at this rate.
  DATA_PRICE_UGX_PER_GB: z.coerce.number().int().min(0).max(1_000_000).default(3000),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_REPLICA_URLS: list
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'must be postgres:// URLs')))
    .default([]),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  ALLOW_EMBEDDED_DB_IN_PRODUCTION: bool.default(false),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only')
    .default('kf'),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
  JWT_ISSUER: z.string().default('kushfilms'),
  JWT_AUDIENCE: z.string().default('kushfilms-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(20),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  CORS_ORIGINS: list.default([]),
  // 'loopback' trusts X-Forwarded-For from the web app's /api proxy on the same host.
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),

  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(10).default(900),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Kush Films <no-reply@kushfilms.com>'),

  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  MEDIA_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_MEDIA_SECRET),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('auto'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),

  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(20 * 1024 ** 3),
  UPLOAD_PART_BYTES: z.coerce
    .number()
    .int()
    .min(5 * 1024 * 1024)
    .max(5 * 1024 ** 3)
    .default(16 * 1024 * 1024),
  TRANSCODE_PRESET: z
    .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow'])
    .default('veryfast'),
  SAMPLE_CONTENT: bool.default(true),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),

  PAYMENT_PROVIDERS: list.pipe(z.array(z.enum(['sandbox', 'stripe', 'mtn_momo', 'airtel_money']))).default(['sandbox']),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.url().optional(),
  MOMO_API_BASE: z.url().default('https://sandbox.momodeveloper.mtn.com'),
  MOMO_TARGET_ENVIRONMENT: z.string().default('sandbox'),
  MOMO_SUBSCRIPTION_KEY: z.string().optional(),
  MOMO_API_USER: z.string().optional(),
  MOMO_API_KEY: z.string().optional(),
  AIRTEL_API_BASE: z.url().default('https://openapiuat.airtel.africa'),
  AIRTEL_CLIENT_ID: z.string().optional(),
  AIRTEL_CLIENT_SECRET: z.string().optional(),
  AIRTEL_CALLBACK_SECRET: z.string().optional(),
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(3),
  BILLING_REMINDER_DAYS: z.coerce.number().int().min(1).max(14).default(3),
  STREAM_IDLE_SECONDS: z.coerce.number().int().min(30).max(900).default(90),

  ADMIN_EMAIL: z.email().default('admin@kushfilms.com'),

  AD_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_AD_SECRET),
  AD_RESERVATION_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
});

export type Env = z.infer<typeof envSchema>;
export const ENV_KEYS = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config extends Env {
  isProduction: boolean;
  paths: { data: string; media: string; outbox: string; pglite: string; adminPassword: string };
  cookieSecure: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment object into the app's configuration, or throws one ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = result.data;
  const problems: string[] = [];
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction) {
    if (e.JWT_SECRET === DEV_JWT_SECRET)
      problems.push('JWT_SECRET: the development default is not allowed in production');
    if (e.MEDIA_SIGNING_SECRET === DEV_MEDIA_SECRET)
      problems.push('MEDIA_SIGNING_SECRET: the development default is not allowed in production');
    if (e.AD_SIGNING_SECRET === DEV_AD_SECRET)
      problems.push('AD_SIGNING_SECRET: the development default is not allowed in production');
    if (e.PAYMENT_PROVIDERS.includes('sandbox'))
      problems.push('PAYMENT_PROVIDERS: the sandbox provider is not allowed in production');
    if (!e.DATABASE_URL && !e.ALLOW_EMBEDDED_DB_IN_PRODUCTION)
      problems.push('DATABASE_URL: required in production (or set ALLOW_EMBEDDED_DB_IN_PRODUCTION=true)');
    if (e.COOKIE_SECURE === 'false') problems.push('COOKIE_SECURE: insecure cookies are not allowed in production');
  }
  const providerKeys = {
    sandbox: [],
    stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
    mtn_momo: ['MOMO_SUBSCRIPTION_KEY', 'MOMO_API_USER', 'MOMO_API_KEY'],
    airtel_money: ['AIRTEL_CLIENT_ID', 'AIRTEL_CLIENT_SECRET'],
  } as const;
  for (const provider of e.PAYMENT_PROVIDERS) {
    for (const key of providerKeys[provider]) {
      if (!e[key]) problems.push(`${key}: required when PAYMENT_PROVIDERS includes ${provider}`);
    }
  }
  if (e.STORAGE_DRIVER === 's3') {
    for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!e[key]) problems.push(`${key}: required when STORAGE_DRIVER=s3`);
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const data = path.resolve(e.DATA_DIR);
  const webIsLocal = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(e.WEB_URL.replace(/\/$/, ''));
  return {
    ...e,
    isProduction,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? !webIsLocal : e.COOKIE_SECURE === 'true',
    paths: {
      data,
      media: path.join(data, 'media'),
      outbox: path.join(data, 'outbox'),
      pglite: path.join(data, 'pglite'),
      adminPassword: path.join(data, 'admin-password.txt'),
    },
  };
}

let cached: Config | undefined;

/** Parses process.env once and caches it; prints every problem and exits on a bad configuration. */
export function loadConfig(): Config {
  if (cached) return cached;
  try {
    cached = parseConfig(process.env);
    return cached;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
