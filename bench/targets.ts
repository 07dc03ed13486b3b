import {
  bannerPaths,
  checkBannerFill,
  checkVastFill,
  prepareAds,
  prepareAdsOnPostgres,
  vastPaths,
} from './fixtures/ads';
import { longTailQueries, prepareCatalog } from './fixtures/catalog';
import { benchDatabaseUrl, prepareCatalogOnPostgres } from './fixtures/catalog-pg';

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

export interface PrepareResult {
  /** More environment for the server process (e.g. the database it runs on). */
  env?: Record<string, string>;
  /** Runs after the server stopped (e.g. drops that database). */
  cleanup?: () => Promise<void>;
}

export interface TargetSetupResult {
  /** Headers sent with every benchmark request, e.g. an Authorization header. */
  headers?: Record<string, string>;
}

export interface Target {
  /** Short, unique; shown in the table and used as the key in the JSON. */
  name: string;
  /** Request path, with query string if any. GET only. Also the preflight request. */
  path: string;
  /** More paths: requests then take `path` and these in turn (shared by all connections), round and round. */
  morePaths?: string[];
  /** How the paths are shared out (see MeasureOptions.pathCycle); 'shared' when omitted. */
  pathCycle?: 'shared' | 'per-connection';
  /** Defaults to 'api'. */
  server?: ServerKind;
  /** Concurrent connections for this target (default BENCH_CONNECTIONS): a few to measure one viewer's wait. */
  connections?: number;
  /**
   * Runs once before the API server starts, e.g. to write a database into its DATA_DIR (PGlite
   * allows one process per directory, so bulk data goes in here rather than through HTTP).
   */
  prepare?: (ctx: { dataDir: string; log: (line: string) => void }) => Promise<PrepareResult | void>;
  /** Runs once after the server is ready and before the warm-up, e.g. to create the rows the path reads. */
  setup?: (ctx: TargetContext) => Promise<TargetSetupResult | void>;
}

export const BASELINE: Target = { name: 'baseline', path: '/', server: 'baseline' };

/** What every browser sends (and CDNs forward): the catalog answers with its pre-compressed bodies. */
const browserHeaders = async (): Promise<TargetSetupResult> => ({
  headers: { 'accept-encoding': 'gzip, deflate, br' },
});

/** Real-looking queries and misspelled ones, over the generated 10k-title catalog. */
export const SEARCH_QUERIES = [
  'queen of katwe',
  'yelow jumpr',
  'kampala nights',
  'kampla',
  'the silent river',
  'silnt rivr',
  'boda boda',
  'mbarara drum',
  'wedding',
  'nakato mugisha',
  'detectve',
  'gulu',
].map((q) => `/api/v1/catalog/search?q=${encodeURIComponent(q)}`);

const VAST_PATHS = vastPaths();
const BANNER_PATHS = bannerPaths();

const LONG_TAIL_SEARCHES = longTailQueries(20_000).map((q) => `/api/v1/catalog/search?q=${encodeURIComponent(q)}`);

export const TARGETS: Target[] = [
  { name: 'healthz', path: '/healthz' },
  // The catalog (bench/fixtures/catalog.ts: 10,000 titles) — cached public reads, then search.
  { name: 'catalog-home', path: '/api/v1/catalog/home', prepare: prepareCatalog, setup: browserHeaders },
  {
    name: 'catalog-category',
    path: '/api/v1/catalog/categories/ugandan-stories?sort=popular&limit=24',
    prepare: prepareCatalog,
    setup: browserHeaders,
  },
  {
    name: 'catalog-title',
    path: '/api/v1/catalog/titles/the-girl-in-the-yellow-jumper',
    prepare: prepareCatalog,
    setup: browserHeaders,
  },
  // Twelve popular searches over and over: after the first round they are served from the cache.
  {
    name: 'catalog-search',
    path: SEARCH_QUERIES[0]!,
    morePaths: SEARCH_QUERIES.slice(1),
    pathCycle: 'per-connection',
    prepare: prepareCatalog,
    setup: browserHeaders,
  },
  // The long tail: every request a search never made before in the run, so each one hits PGlite.
  {
    name: 'catalog-search-uncached',
    path: LONG_TAIL_SEARCHES[0]!,
    morePaths: LONG_TAIL_SEARCHES.slice(1),
    prepare: prepareCatalog,
    setup: browserHeaders,
  },
  {
    name: 'catalog-autocomplete',
    path: '/api/v1/catalog/autocomplete?q=kam',
    morePaths: ['que', 'yelo', 'silent r', 'nakat'].map(
      (q) => `/api/v1/catalog/autocomplete?q=${encodeURIComponent(q)}`,
    ),
    pathCycle: 'per-connection',
    prepare: prepareCatalog,
    setup: browserHeaders,
  },
  // Ad decisions (bench/fixtures/ads.ts: 20 campaigns, a transcoded pre-roll, banners), anonymous
  // devices from a pool of 5,000, so budgets and frequency caps are reserved on many counters.
  {
    name: 'ads-vast',
    path: VAST_PATHS[0]!,
    morePaths: VAST_PATHS.slice(1),
    prepare: prepareAds,
    setup: checkVastFill,
  },
  // The same decisions from 4 connections back to back: the server busy with thousands of decisions
  // a second, without the 100-deep queue above, so p95 is a decision's own latency under load.
  {
    name: 'ads-vast-latency',
    path: VAST_PATHS[0]!,
    morePaths: VAST_PATHS.slice(1),
    prepare: prepareAds,
    setup: checkVastFill,
    connections: 4,
  },
  {
    name: 'ads-banners',
    path: BANNER_PATHS[0]!,
    morePaths: BANNER_PATHS.slice(1),
    prepare: prepareAds,
    setup: checkBannerFill,
  },
];

/**
 * The catalog targets again on PostgreSQL (and Redis when set), as production runs them, when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL names a server: PGlite is one single-threaded WASM
 * process, so the uncached search above measures PGlite's queue as much as our queries.
 */
const ON_POSTGRES = [
  'catalog-home',
  'catalog-title',
  'catalog-search',
  'catalog-search-uncached',
  'catalog-autocomplete',
];
if (benchDatabaseUrl()) {
  for (const target of TARGETS.filter((t) => ON_POSTGRES.includes(t.name))) {
    TARGETS.push({ ...target, name: `${target.name}@pg`, prepare: prepareCatalogOnPostgres });
  }
  // One viewer's wait for a query nobody made before (throughput at 100 connections is above): the
  // long tail with 4 connections, so the latency is the query's own, not a queue's.
  TARGETS.push({
    ...TARGETS.find((t) => t.name === 'catalog-search-uncached')!,
    name: 'catalog-search-latency@pg',
    connections: 4,
    prepare: prepareCatalogOnPostgres,
  });
  // Decisions reserve budget and caps in Redis there, as on a production cluster.
  for (const target of TARGETS.filter((t) => t.name.startsWith('ads-'))) {
    TARGETS.push({ ...target, name: `${target.name}@pg`, prepare: prepareAdsOnPostgres });
  }
}

/** BENCH_TARGETS=a,b runs only those http targets (the baseline always runs, for the ratios). */
export function selectedTargets(env: Record<string, string | undefined> = process.env): Target[] {
  const names = (env.BENCH_TARGETS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) return TARGETS;
  const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
  if (unknown.length) {
    throw new Error(
      `BENCH_TARGETS: no target named ${unknown.join(', ')} (known: ${TARGETS.map((t) => t.name).join(', ')})`,
    );
  }
  return TARGETS.filter((t) => names.includes(t.name));
}
