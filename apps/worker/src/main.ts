import { loadConfig } from '@kush/config';
import { createContext } from '@kush/api/context';
import { registerProcessors } from './processors';

/** The worker role: consumes jobs from Redis (BullMQ). No HTTP. */
async function main() {
  const config = loadConfig();
  if (!config.REDIS_URL) {
    process.stderr.write('The worker process needs REDIS_URL; without it `npm start` runs the jobs inside the API process.\n');
    process.exit(1);
  }
  const ctx = await createContext(config);
  registerProcessors({ queue: ctx.infra.queue, mailer: ctx.infra.mailer });
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: 'worker started', pid: process.pid })}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: `worker stopping (${signal})` })}\n`);
    // Let running jobs finish; unfinished ones go back to the queue for another worker.
    await ctx.infra.queue.close(30_000);
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
