import type { JobName } from '@kush/contracts';
import type { AppContext } from '../../context';
import { createBilling } from './index';
import { BillingLifecycle } from './lifecycle.service';
import { LogSmsSender, type SmsSender } from './sms';

/** Billing's periodic jobs (the worker's PERIODIC_JOBS lists them). */
export const BILLING_JOBS = {
  reconcile: { name: 'billing.reconcile', everyMs: 60_000 },
  remind: { name: 'billing.remind', everyMs: 3600_000 },
  expire: { name: 'billing.expire', everyMs: 5 * 60_000 },
} as const satisfies Record<string, { name: JobName; everyMs: number }>;

/**
 * A pino-shaped JSON line on stdout, as the worker's own lines are: job processors get no logger,
 * and the log-only SMS sender must leave a trace somewhere an operator can read.
 */
export function stdoutLine(level: 30 | 50, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, ...fields, msg })}\n`);
}

const logError = (message: string, error?: unknown) =>
  stdoutLine(50, message, error === undefined ? {} : { err: error instanceof Error ? error.message : String(error) });

/** Attaches the billing processors: reconciling pending payments, renewal reminders, ending access. */
export function processBillingJobs(
  ctx: AppContext,
  log: (message: string, error?: unknown) => void = logError,
  sms: SmsSender = new LogSmsSender((message, fields) => stdoutLine(30, message, fields)),
): void {
  const { billing, notifications } = createBilling(ctx, (error, what) => log(`billing: ${what} failed`, error));
  const lifecycle = new BillingLifecycle(ctx.db.db, billing, notifications, sms, {
    reminderDays: ctx.config.BILLING_REMINDER_DAYS,
  });
  const { queue } = ctx.infra;
  queue.process('billing.reconcile', async () => {
    await lifecycle.reconcile();
  });
  queue.process('billing.remind', async () => {
    await lifecycle.remind();
  });
  queue.process('billing.expire', async () => {
    await lifecycle.expire();
  });
}
