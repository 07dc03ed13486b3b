/**
 * `npm start`: the whole platform in one command. API (with the job worker in-process on the
 * embedded defaults, or API only when REDIS_URL moves jobs to separate workers) and the web app.
 */
import fs from 'node:fs';
import { loadConfig } from '@kush/config';
import { createContext, ensureAdmin, startApi, stopOnSignals } from '@kush/api';
import { seedCatalogReference, seedPlans, writeAdminPassword } from '@kush/api/seed';
import { createSampleContent } from '@kush/api/samples';
import { ensureWebBuild, startWebServer } from './web';

const config = loadConfig();
const say = (line: string) => process.stdout.write(`${line}\n`);

const ctx = await createContext(config);
let newAdminPassword: string | undefined;
let adminLine = `Sign in as ${config.ADMIN_EMAIL} with the password in ${config.paths.adminPassword}`;
if (!config.isProduction) {
  // Languages, genres and home rows, so staff can start adding titles, and the plans on sale, so
  // the subscribe flow works at once with the sandbox provider (both idempotent).
  await seedCatalogReference(ctx.db.db);
  await seedPlans(ctx.db.db);
  const admin = await ensureAdmin(ctx.db.db, config.ADMIN_EMAIL);
  if (admin.created) {
    await writeAdminPassword(config.paths.adminPassword, config.ADMIN_EMAIL, admin.password!);
    newAdminPassword = admin.password;
    adminLine = `Sign in as ${config.ADMIN_EMAIL} / ${admin.password}  (shown once; saved in ${config.paths.adminPassword}, mode 600)`;
  } else if (!fs.existsSync(config.paths.adminPassword)) {
    adminLine = `Sign in as ${config.ADMIN_EMAIL} (password set earlier; \`npm run admin:create -- --email you@example.com\` makes another admin)`;
  }
}

const api = await startApi(config, ctx);

const build = ensureWebBuild();
const slow = setTimeout(() => say('Building the web app (first start only)…'), 500);
const built = await build;
clearTimeout(slow);
if (built.built) say(`Web app built in ${Math.round(built.ms / 1000)} s.`);
const web = await startWebServer({
  apiUrl: `http://127.0.0.1:${config.PORT}`,
  port: config.WEB_PORT,
  host: config.HOST,
  onOutput: (chunk) => {
    if (/error|warn/i.test(chunk)) process.stderr.write(`[web] ${chunk}`);
  },
});

const local = (port: number) => `http://localhost:${port}`;
say('');
say('Kush Films is running');
say(`  Web app        ${local(config.WEB_PORT)}`);
say(`  API            ${local(config.PORT)}/api/v1   (reference: ${local(config.PORT)}/api/docs)`);
say(`  Health         ${local(config.PORT)}/readyz   metrics: ${local(config.PORT)}/metrics`);
say(`  Database       ${config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.paths.pglite}`}`);
say(
  `  Jobs, cache    ${config.REDIS_URL ? 'Redis (start workers with `npm run worker`)' : 'in this process (memory)'}`,
);
say(`  Email          ${config.SMTP_URL ? 'SMTP' : `.eml files in ${config.paths.outbox}`}`);
say(`  ${adminLine}`);
say('Press Ctrl+C to stop.');

// First start of a new embedded platform: sample titles, made through the real upload → transcode
// pipeline, so there is something to watch within a couple of minutes.
if (newAdminPassword && config.SAMPLE_CONTENT) {
  say('Preparing sample titles in the background…');
  createSampleContent(
    api.app,
    { email: config.ADMIN_EMAIL, password: newAdminPassword },
    { whenIdle: () => api.ctx.infra.queue.whenIdle(15 * 60_000), log: (line) => say(`  ${line} (transcoding)`) },
  ).then(
    (made) => made && say(`Sample titles ready: ${made}. Open ${local(config.WEB_PORT)} to watch.`),
    (err: unknown) => say(`Sample titles could not be created: ${err instanceof Error ? err.message : String(err)}`),
  );
}

stopOnSignals(async () => {
  await web.stop();
  await api.stop();
}, say);
