import { loadConfig } from '@kush/config';
import { createContext, stopOnSignals } from '@kush/api';
import { registerProcessors, schedulePeriodicJobs } from './processors';

/** Entry point of a worker (`npm run worker`): consumes jobs from Redis (BullMQ). No HTTP. */
const config = loadConfig();
if (!config.REDIS_URL) {
  process.stderr.write(
    'A separate worker needs REDIS_URL; without it `npm start` runs the jobs inside the API process.\n',
  );
  process.exit(1);
}
const ctx = await createContext(config);
registerProcessors(ctx);
const log = (msg: string) =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg })}\n`);
log('worker started');
// Every worker schedules the periodic jobs; a fixed job id keeps one of each pending.
const stopSchedules = schedulePeriodicJobs(ctx.infra.queue, (err) =>
  log(`could not enqueue a periodic job: ${String(err)}`),
);
// Running jobs finish; unfinished ones go back to the queue for another worker.
stopOnSignals(async () => {
  stopSchedules();
  await ctx.infra.queue.close(30_000);
  await ctx.close();
}, log);
