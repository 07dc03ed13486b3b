import { AppError } from '@kush/contracts';

/** 429 with Retry-After, in the same shape as the accounts module's throttles. */
export function rateLimited(retryAfterSeconds: number, what: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    'RATE_LIMITED',
    `Too many ${what}. Try again in ${seconds} seconds.`,
    { retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  );
}
