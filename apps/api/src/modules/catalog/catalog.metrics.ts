import { Counter, Gauge, type Registry } from 'prom-client';
import type { CacheOutcome } from './catalog.cache';

/**
 * Catalog cache metrics on the app's registry: lookups by outcome, and the hit ratio since start
 * (hits in either layer ÷ lookups). Returns the recorder the cache calls on every lookup.
 */
export function registerCatalogCacheMetrics(registry: Registry): (outcome: CacheOutcome) => void {
  const counts: Record<CacheOutcome, number> = { local: 0, shared: 0, miss: 0 };
  const lookups = new Counter({
    name: 'catalog_cache_lookups_total',
    help: 'Catalog cache lookups by outcome: local (in-process LRU), shared (Redis) or miss',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'catalog_cache_hit_ratio',
    help: 'Share of catalog cache lookups answered by the in-process or shared cache since start',
    registers: [registry],
    collect() {
      const total = counts.local + counts.shared + counts.miss;
      this.set(total === 0 ? 0 : (counts.local + counts.shared) / total);
    },
  });
  return (outcome) => {
    counts[outcome] += 1;
    lookups.inc({ outcome });
  };
}
