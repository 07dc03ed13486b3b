/** One target under load: an autocannon warm-up (discarded), then the measured run. */
import autocannon from 'autocannon';

export interface MeasureOptions {
  url: string;
  connections: number;
  /** Measured seconds (whole seconds: autocannon samples req/s once a second). */
  durationSeconds: number;
  /** Seconds of load before measuring, thrown away; 0 skips the warm-up. */
  warmupSeconds: number;
  headers?: Record<string, string>;
  /**
   * Paths on the host of `url`, handed out in turn across all connections, so that a list longer
   * than the run is never repeated; just `url` when omitted.
   */
  paths?: string[];
  /**
   * How `paths` are handed out: 'shared' (the default) takes the next path of the one list for
   * every request, which autocannon can only do by building each request anew (its own CPU, on the
   * same cores as the server); 'per-connection' has every connection walk the list itself with
   * requests built once, as the baseline's are, for lists of cached pages where repeats are the point.
   */
  pathCycle?: 'shared' | 'per-connection';
}

/** Request counts for one autocannon run. `errors` includes timeouts; `non2xx` counts 1xx/3xx/4xx/5xx. */
export interface Counts {
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface Measurement extends Counts {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Per-second samples of completed requests, as autocannon reports them. */
  requestsPerSecond: { mean: number; stddev: number; min: number; max: number };
  /** Exact percentiles over every response of the measured run (nearest rank). */
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  bytesPerSecond: number;
  warmup: Counts & { durationSeconds: number };
}

/** Grows as needed; a 10 s run at 50k req/s is 4 MB of float64. */
class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private count = 0;

  record(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  summary(): Measurement['latencyMs'] {
    const sorted = this.values.slice(0, this.count).sort();
    const n = sorted.length;
    if (n === 0) return { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      mean: round(sum / n),
      p50: round(at(50)),
      p95: round(at(95)),
      p99: round(at(99)),
      max: round(sorted[n - 1]!),
    };
  }
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function counts(result: autocannon.Result): Counts {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

/** Rewrites each request to the next path of the list, round and round, shared by every connection. */
function nextPath(paths: string[]) {
  let next = 0;
  return (request: autocannon.Request) => ({ ...request, path: paths[next++ % paths.length]! });
}

function requestsFor(paths: string[], cycle: 'shared' | 'per-connection'): autocannon.Request[] {
  if (cycle === 'per-connection') return paths.map((path) => ({ method: 'GET', path }));
  return [{ method: 'GET', setupRequest: nextPath(paths) }];
}

function run(
  options: MeasureOptions,
  durationSeconds: number,
  onLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: durationSeconds,
        headers: options.headers,
        ...(options.paths ? { requests: requestsFor(options.paths, options.pathCycle ?? 'shared') } : {}),
      },
      (err: unknown, result: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    );
    if (onLatency) instance.on('response', (_client, _status, _bytes, responseTime) => onLatency(responseTime));
  });
}

/** Warm-up, then the measured run against one URL. Never judges speed; the caller decides what failed. */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  let warmup: Measurement['warmup'] = {
    requests: 0,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    durationSeconds: 0,
  };
  if (options.warmupSeconds > 0) {
    const result = await run(options, options.warmupSeconds);
    warmup = { ...counts(result), durationSeconds: result.duration };
  }

  const latencies = new LatencyRecorder();
  const result = await run(options, options.durationSeconds, (ms) => latencies.record(ms));
  return {
    url: options.url,
    connections: options.connections,
    durationSeconds: result.duration,
    ...counts(result),
    requestsPerSecond: {
      mean: result.requests.mean,
      stddev: result.requests.stddev,
      min: result.requests.min,
      max: result.requests.max,
    },
    latencyMs: latencies.summary(),
    bytesPerSecond: result.throughput.mean,
    warmup,
  };
}

/** One request before the load: a target that does not answer 2xx is reported, not hammered. */
export async function preflight(url: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`preflight GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
  }
}
