import { longTailQueries, prepareCatalog } from './fixtures/catalog';

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
  /** Request path, with query string if any. GET only. Also the preflight request. */
  path: string;
  /** More paths: requests then take `path` and these in turn (shared by all connections), round and round. */
  morePaths?: string[];
  /** Defaults to 'api'. */
  server?: ServerKind;
  /**
   * Runs once before the API server starts, e.g. to write a database into its DATA_DIR (PGlite
   * allows one process per directory, so bulk data goes in here rather than through HTTP).
   */
  prepare?: (ctx: { dataDir: string; log: (line: string) => void }) => Promise<void>;
  /** Runs once after the server is ready and before the warm-up, e.g. to create the rows the path reads. */
  setup?: (ctx: TargetContext) => Promise<TargetSetupResult | void>;
}

export const BASELINE: Target = { name: 'baseline', path: '/', server: 'baseline' };

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

const LONG_TAIL_SEARCHES = longTailQueries(20_000).map((q) => `/api/v1/catalog/search?q=${encodeURIComponent(q)}`);

export const TARGETS: Target[] = [
  { name: 'healthz', path: '/healthz' },
  // The catalog (bench/fixtures/catalog.ts: 10,000 titles) — cached public reads, then search.
  { name: 'catalog-home', path: '/api/v1/catalog/home', prepare: prepareCatalog },
  {
    name: 'catalog-category',
    path: '/api/v1/catalog/categories/ugandan-stories?sort=popular&limit=24',
    prepare: prepareCatalog,
  },
  { name: 'catalog-title', path: '/api/v1/catalog/titles/the-girl-in-the-yellow-jumper', prepare: prepareCatalog },
  // Twelve popular searches over and over: after the first round they are served from the cache.
  { name: 'catalog-search', path: SEARCH_QUERIES[0]!, morePaths: SEARCH_QUERIES.slice(1), prepare: prepareCatalog },
  // The long tail: every request a search never made before in the run, so each one hits PGlite.
  {
    name: 'catalog-search-uncached',
    path: LONG_TAIL_SEARCHES[0]!,
    morePaths: LONG_TAIL_SEARCHES.slice(1),
    prepare: prepareCatalog,
  },
  {
    name: 'catalog-autocomplete',
    path: '/api/v1/catalog/autocomplete?q=kam',
    morePaths: ['que', 'yelo', 'silent r', 'nakat'].map(
      (q) => `/api/v1/catalog/autocomplete?q=${encodeURIComponent(q)}`,
    ),
    prepare: prepareCatalog,
  },
];
