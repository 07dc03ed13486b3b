import type { Config } from '@kush/config';
import { registerProcessors, schedulePeriodicJobs } from '@kush/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { createContext, type AppContext } from './context';

export interface RunningApi {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Stops accepting, drains in-flight requests, lets running jobs finish, then closes pools. */
  stop(): Promise<void>;
}

/** Starts one API instance. With PROCESS_ROLE=all (the embedded default) it also runs the job processors. */
export async function startApi(config: Config, ctx?: AppContext): Promise<RunningApi> {
  const context = ctx ?? (await createContext(config));
  const runsJobs = config.PROCESS_ROLE === 'all';
  if (runsJobs) {
    registerProcessors(context);
  }
  const app = await buildApp(config, { context });
  // Periodic jobs (publishing, popularity, the video reconciler) run wherever jobs are processed.
  const stopSchedules = runsJobs
    ? schedulePeriodicJobs(context.infra.queue, (err) => app.log.error({ err }, 'could not enqueue a periodic job'))
    : () => {};
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  let stopping: Promise<void> | undefined;
  return {
    app,
    ctx: context,
    url,
    stop() {
      stopping ??= (async () => {
        stopSchedules();
        await app.close();
        await context.infra.queue.close(20_000);
        await context.close();
      })();
      return stopping;
    },
  };
}

/** Exits cleanly on SIGTERM/SIGINT, or forcibly if draining takes longer than `graceMs`. */
export function stopOnSignals(stop: () => Promise<void>, log: (msg: string) => void, graceMs = 30_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: shutting down gracefully`);
    setTimeout(() => {
      log('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`error during shutdown: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
