import { createMemoryCache, createMemoryPubSub, type PubSub } from '@kush/infra';
import { describe, expect, it } from 'vitest';
import { announceCatalogChange, CatalogCache, type CacheOutcome, strongEtag } from './catalog.cache';

/** Two instances' caches over one shared store, as two API processes over one Redis. */
function twoInstances(pubsub: PubSub, options: { versionCheckMs?: number } = {}) {
  const store = createMemoryCache();
  const outcomes: CacheOutcome[] = [];
  const make = () =>
    new CatalogCache({ versionStore: store, shared: store, pubsub, onOutcome: (o) => outcomes.push(o), ...options });
  return { store, outcomes, a: make(), b: make() };
}

const droppingPubSub = (): PubSub => ({
  publish: async () => {},
  subscribe: async () => async () => {},
  close: async () => {},
});

describe('catalog cache', () => {
  it('serves from the local layer, then the shared one, loading once per key', async () => {
    const { a, b, outcomes } = twoInstances(createMemoryPubSub());
    let loads = 0;
    const load = async () => `{"n":${++loads}}`;
    const [x, y] = await Promise.all([a.get('home', load), a.get('home', load)]);
    expect(x).toEqual(y);
    expect(loads).toBe(1);
    expect(x.etag).toBe(strongEtag('{"n":1}'));
    expect((await a.get('home', load)).body).toBe('{"n":1}');
    expect((await b.get('home', load)).body).toBe('{"n":1}');
    expect(outcomes).toEqual(['miss', 'local', 'shared']);
  });

  it('drops everything on every instance when one invalidates', async () => {
    const pubsub = createMemoryPubSub();
    const { a, b } = twoInstances(pubsub);
    await Promise.all([a.start(), b.start()]);
    let n = 0;
    const load = async () => `${++n}`;
    await a.get('k', load);
    expect((await b.get('k', load)).body).toBe('1');
    await a.invalidate();
    expect((await a.get('k', load)).body).toBe('2');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await b.get('k', load)).body).toBe('2');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('converges without the pub/sub message, through the version in the shared store', async () => {
    const { a, b, store } = twoInstances(droppingPubSub(), { versionCheckMs: 0 });
    let n = 0;
    const load = async () => `${++n}`;
    expect((await b.get('k', load)).body).toBe('1');
    await announceCatalogChange(store, droppingPubSub());
    expect((await b.get('k', load)).body).toBe('2');
    expect((await a.get('k', load)).body).toBe('2');
  });

  it('keeps serving when the shared store fails, and reports the failure', async () => {
    const failing = createMemoryCache();
    failing.get = async () => {
      throw new Error('redis down');
    };
    const errors: string[] = [];
    const cache = new CatalogCache({
      versionStore: failing,
      shared: failing,
      pubsub: createMemoryPubSub(),
      onError: (_e, what) => errors.push(what),
    });
    expect((await cache.get('k', async () => 'body')).body).toBe('body');
    expect(errors).toEqual(expect.arrayContaining(['catalog version read', 'shared cache read']));
  });
});
