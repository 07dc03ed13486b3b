import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import type { Config } from '@kush/config';
import type { LocalStorage } from '@kush/storage';
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createContext, type AppContext } from './context';
import { Edge } from './lib/edge';
import { requestIds } from './lib/request-id';
import { loggerOptions } from './lib/logger';
import { accountsModule, AuthService } from './modules/accounts';
import { adsModule } from './modules/ads';
import { auditModule } from './modules/audit';
import { billingModule } from './modules/billing';
import { AccessTokens } from './modules/accounts/tokens';
import { catalogModule } from './modules/catalog';
import { downloadsModule } from './modules/downloads';
import { healthModule } from './modules/health';
import { playbackModule } from './modules/playback';
import { localStorageRoutes } from './modules/storage';
import { videosModule } from './modules/videos';
import { viewerModule } from './modules/viewer';
import { registerAuth } from './plugins/auth';
import { ProfileUnlocks, registerProfileLock } from './modules/profiles/profile-lock';
import { registerErrorHandling } from './plugins/errors';
import { registerMetrics } from './plugins/metrics';
import { registerOpenApi } from './plugins/openapi';
import { registerRateLimit } from './plugins/rate-limit';
import { registerSecurityHeaders, SECURITY_HEADERS } from './plugins/security-headers';

export interface BuildOptions {
  /** Shared connections; when omitted the app creates its own and closes them on close. */
  context?: AppContext;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

/** Builds the whole API. Reading this function top to bottom tells the boot order. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const ctx = options.context ?? (await createContext(config));
  const ownsContext = !options.context;
  let shuttingDown = false;
  const requestIdOf = requestIds();
  const edge = new Edge({ headers: SECURITY_HEADERS, requestId: requestIdOf });

  const app = Fastify({
    logger: loggerOptions(config.LOG_LEVEL, options.logStream),
    // A hop count (number) is accepted at run time; Fastify's types only list the other forms.
    trustProxy: config.TRUST_PROXY as boolean | string,
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    // Fastify's own HTTP server settings, with the edge in front (src/lib/edge.ts); while draining,
    // everything goes through Fastify, which closes connections as it answers.
    serverFactory: (handler, opts) => {
      const server = createServer((req, res) => {
        if (shuttingDown || !edge.serve(req, res)) handler(req, res);
      });
      // Fastify applies these to its own server; with a factory they are ours to apply.
      const settings = opts as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      server.keepAliveTimeout = settings.keepAliveTimeout ?? 72_000;
      server.requestTimeout = settings.requestTimeout ?? 0;
      server.setTimeout(settings.connectionTimeout ?? 0);
      return server;
    },
    forceCloseConnections: 'idle',
    // Playback tokens travel in the path (relative playlist URLs inherit them).
    routerOptions: { maxParamLength: 512 },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('ctx', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  // While draining, answer in-flight requests with Connection: close so keep-alive sockets end.
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) void reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    if (ownsContext) await ctx.close();
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // A write without a body is validated as an empty object, so optional bodies may be omitted.
  app.addHook('preValidation', async (request) => {
    if (request.body == null && request.routeOptions.schema?.body) request.body = {};
  });

  // 1. Infrastructure: errors, security headers, CORS, cookies, limits, metrics, docs.
  registerErrorHandling(app);
  const allowedOrigins = [
    ...new Set([config.WEB_URL, config.PUBLIC_API_URL, ...config.CORS_ORIGINS].map((o) => o.replace(/\/$/, ''))),
  ];
  registerSecurityHeaders(app);
  await app.register(cors, { origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false, credentials: true });
  await app.register(cookie);
  registerRateLimit(app, ctx.infra.rateLimiter, config.RATE_LIMIT_PER_MINUTE);
  const metrics = registerMetrics(app, ctx);
  edge.observe(metrics.observeRequest);
  await registerOpenApi(app, config.PUBLIC_API_URL);

  // 2. The app's own services.
  const tokens = new AccessTokens({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const auth = new AuthService(ctx.db.db, tokens, ctx.infra.queue, ctx.infra.rateLimiter, {
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    refreshReuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
    loginMaxPerIp: config.LOGIN_MAX_PER_IP,
    loginMaxPerAccount: config.LOGIN_MAX_PER_ACCOUNT,
    loginWindowSeconds: config.LOGIN_WINDOW_SECONDS,
    webUrl: config.WEB_URL.replace(/\/$/, ''),
  });
  registerAuth(app, { auth, allowedOrigins, cookieSecure: config.cookieSecure });
  const unlocks = new ProfileUnlocks(config.JWT_SECRET);
  registerProfileLock(app, { db: ctx.db.db, unlocks });

  // 3. Routes.
  await app.register(healthModule, { ctx, isShuttingDown: () => shuttingDown });
  await app.register(accountsModule, { db: ctx.db.db, auth, cookieSecure: config.cookieSecure, allowedOrigins });
  await app.register(catalogModule, { ctx, metrics: metrics.registry, edge });
  await app.register(auditModule, { db: ctx.db.db });
  await app.register(viewerModule, { ctx, unlocks });
  await app.register(videosModule, { ctx });
  await app.register(playbackModule, { ctx });
  await app.register(downloadsModule, { ctx });
  await app.register(billingModule, { ctx });
  await app.register(adsModule, { ctx });
  if (ctx.storage.driver === 'local') {
    await app.register(localStorageRoutes, { prefix: '/api/v1/storage', storage: ctx.storage as LocalStorage });
  }

  return app;
}
