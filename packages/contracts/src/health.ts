import { z } from 'zod';

export const Health = z.object({ status: z.literal('ok'), uptimeSeconds: z.number(), version: z.string() });

export const CheckResult = z.object({
  status: z.enum(['ok', 'down']),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

export const Readiness = z.object({
  status: z.enum(['ok', 'down', 'shutting_down']),
  checks: z.record(z.string(), CheckResult),
});
