/**
 * The production web app for the web group, in its own process: `ensureWebBuild()` then
 * `startWebServer()` from scripts/web.ts, which read NEXT_DIST_DIR once when they are loaded. The
 * bench sets it (.next-bench) in this process's environment, so its build never collides with the
 * `.next` that `npm start`, the e2e tests and the startup group use.
 *
 * Usage: NEXT_DIST_DIR=.next-bench BENCH_WEB_API_URL=… BENCH_WEB_PORT=… tsx bench/web/app-server.ts
 * Prints how the build went on stderr, then `READY <port>` on stdout.
 */
import { ensureWebBuild, startWebServer } from '../../scripts/web';
import { announceReady, closeOnSignals } from '../servers/shared';

const apiUrl = process.env.BENCH_WEB_API_URL;
if (!apiUrl) throw new Error('BENCH_WEB_API_URL is not set');
const port = process.env.BENCH_WEB_PORT ? Number(process.env.BENCH_WEB_PORT) : undefined;

const build = await ensureWebBuild();
process.stderr.write(
  build.built
    ? `built apps/web into ${process.env.NEXT_DIST_DIR ?? '.next'} (${build.reason}) in ${Math.round(build.ms / 1000)} s\n`
    : `apps/web build in ${process.env.NEXT_DIST_DIR ?? '.next'} is up to date\n`,
);
const web = await startWebServer({ apiUrl, port });
closeOnSignals(() => web.stop());
announceReady(web.port);
