import { loadConfig } from '@kush/config';
import { createContext } from '../context';
import { seed } from '../seed';

/** npm run db:seed: idempotent; safe to run any number of times. */
const config = loadConfig();
const ctx = await createContext(config);
try {
  const report = await seed(ctx);
  for (const line of report) process.stdout.write(`${line}\n`);
} finally {
  await ctx.close();
}
