/**
 * What `npm run bench` measures. The baseline runs first; every other target is compared to it.
 * To benchmark another route, append to TARGETS (see bench/README.md).
 */

/** Which server a target runs against: a bare Fastify hello-world, or the real API on embedded defaults. */
export type ServerKind = 'baseline' | 'api';

export interface TargetContext {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The API child's DATA_DIR (PGlite, media, outbox); undefined for the baseline. */
  dataDir?: string;
}

export interface TargetSetupResult {
  /** Headers sent with every benchmark request, e.g. an Authorization header. */
  headers?: Record<string, string>;
}

export interface Target {
  /** Short, unique; shown in the table and used as the key in the JSON. */
  name: string;
  /** Request path, with query string if any. GET only. */
  path: string;
  /** Defaults to 'api'. */
  server?: ServerKind;
  /** Runs once after the server is ready and before the warm-up, e.g. to create the rows the path reads. */
  setup?: (ctx: TargetContext) => Promise<TargetSetupResult | void>;
}

export const BASELINE: Target = { name: 'baseline', path: '/', server: 'baseline' };

export const TARGETS: Target[] = [
  { name: 'healthz', path: '/healthz' },
  // Generated once by @fastify/swagger and kept in memory: a cached public read.
  { name: 'openapi', path: '/api/openapi.json' },
];
