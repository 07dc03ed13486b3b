/** The bench's knobs, read from the environment. */

export interface BenchOptions {
  /** Measured seconds per target (BENCH_DURATION, default 10). */
  durationSeconds: number;
  /** Discarded seconds of load per target before measuring (BENCH_WARMUP, default 3; 0 skips). */
  warmupSeconds: number;
  /** Concurrent autocannon connections (BENCH_CONNECTIONS, default 100). */
  connections: number;
}

function wholeNumber(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return value;
}

export function readOptions(env: Record<string, string | undefined> = process.env): BenchOptions {
  return {
    durationSeconds: wholeNumber(env, 'BENCH_DURATION', 10, 1),
    warmupSeconds: wholeNumber(env, 'BENCH_WARMUP', 3, 0),
    connections: wholeNumber(env, 'BENCH_CONNECTIONS', 100, 1),
  };
}
