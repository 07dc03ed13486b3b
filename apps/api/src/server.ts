import { loadConfig } from '@kush/config';
import { registerProcessors } from '@kush/worker';
import { buildApp } from './app';
import { createContext } from './context';

/** Starts an API instance. With PROCESS_ROLE=all (the embedded default) it also runs the job processors. */
export async function startServer() {
  const config = loadConfig();
  const ctx = await createContext(config);
  if (config.PROCESS_ROLE === 'all') registerProcessors({ queue: ctx.infra.queue, mailer: ctx.infra.mailer });
  const app = await buildApp(config, { context: ctx });
  await app.listen({ host: config.HOST, port: config.PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      // Stop accepting, finish in-flight requests, then release jobs and close pools.
      await app.close();
      await ctx.infra.queue.close(20_000);
      await ctx.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return { app, ctx, config };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void startServer();
}
