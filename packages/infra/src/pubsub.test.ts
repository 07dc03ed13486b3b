import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPubSub, createRedisPubSub } from './pubsub';
import { drivers, openRedis, waitFor, type RedisHarness } from './test-support';
import { type PubSub } from './types';

describe.each(drivers)('pub/sub (%s)', (driver) => {
  let pubsub: PubSub;
  let harness: RedisHarness | undefined;
  const handlerErrors: unknown[] = [];

  beforeEach(() => {
    handlerErrors.length = 0;
    const onHandlerError = (error: unknown) => handlerErrors.push(error);
    harness = driver === 'redis' ? openRedis() : undefined;
    pubsub = harness
      ? createRedisPubSub(harness.redis, { prefix: `${harness.prefix}:`, onHandlerError })
      : createMemoryPubSub({ onHandlerError });
  });

  afterEach(async () => {
    await pubsub.close();
    await harness?.cleanup();
  });

  it('delivers messages in order to every handler on the channel', async () => {
    const first: string[] = [];
    const second: string[] = [];
    await pubsub.subscribe('catalog', (m) => first.push(m));
    await pubsub.subscribe('catalog', (m) => second.push(m));
    await pubsub.publish('catalog', 'title:1');
    await pubsub.publish('catalog', 'title:2');
    await waitFor(() => first.length === 2 && second.length === 2);
    expect(first).toEqual(['title:1', 'title:2']);
    expect(second).toEqual(['title:1', 'title:2']);
  });

  it('does not deliver across channels', async () => {
    const received: string[] = [];
    await pubsub.subscribe('a', (m) => received.push(`a:${m}`));
    await pubsub.subscribe('b', (m) => received.push(`b:${m}`));
    await pubsub.publish('b', 'x');
    await waitFor(() => received.length === 1);
    await pubsub.publish('a', 'y');
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['b:x', 'a:y']);
  });

  it('unsubscribe removes only that handler', async () => {
    const kept: string[] = [];
    const removed: string[] = [];
    await pubsub.subscribe('catalog', (m) => kept.push(m));
    const unsubscribe = await pubsub.subscribe('catalog', (m) => removed.push(m));
    await pubsub.publish('catalog', 'before');
    await waitFor(() => kept.length === 1 && removed.length === 1);
    await unsubscribe();
    await unsubscribe();
    await pubsub.publish('catalog', 'after');
    await waitFor(() => kept.length === 2);
    expect(kept).toEqual(['before', 'after']);
    expect(removed).toEqual(['before']);
  });

  it('the same function subscribed twice is removed one subscription at a time', async () => {
    const received: string[] = [];
    const handler = (m: string) => received.push(m);
    const unsubscribeFirst = await pubsub.subscribe('c', handler);
    await pubsub.subscribe('c', handler);
    await unsubscribeFirst();
    await pubsub.publish('c', 'm');
    await waitFor(() => received.length === 1);
    await pubsub.publish('c', 'fence');
    await waitFor(() => received.length === 2);
    expect(received).toEqual(['m', 'fence']);
  });

  it('stops delivery once the last handler unsubscribes, and can subscribe again', async () => {
    const received: string[] = [];
    const fence: string[] = [];
    await pubsub.subscribe('fence', (m) => fence.push(m));
    const unsubscribe = await pubsub.subscribe('c', (m) => received.push(m));
    await unsubscribe();
    await pubsub.publish('c', 'lost');
    // Messages on one connection arrive in publish order, so once the fence arrives "lost" would have too.
    await pubsub.publish('fence', 'done');
    await waitFor(() => fence.length === 1);
    expect(received).toEqual([]);
    await pubsub.subscribe('c', (m) => received.push(m));
    await pubsub.publish('c', 'found');
    await waitFor(() => received.length === 1);
    expect(received).toEqual(['found']);
  });

  it('keeps delivering to other handlers when one throws', async () => {
    const received: string[] = [];
    await pubsub.subscribe('c', () => {
      throw new Error('handler bug');
    });
    await pubsub.subscribe('c', (m) => received.push(m));
    await pubsub.publish('c', 'm');
    await waitFor(() => received.length === 1);
    expect(handlerErrors).toEqual([new Error('handler bug')]);
  });

  it('publishing with no subscribers is fine', async () => {
    await pubsub.publish('nobody', 'm');
    await sleep(10);
  });
});

describe.runIf(drivers.includes('redis'))('redis pub/sub across instances', () => {
  it('delivers from one instance to another sharing the prefix', async () => {
    const api = openRedis();
    const worker = openRedis();
    const prefix = `${api.prefix}:`;
    const publisher = createRedisPubSub(api.redis, { prefix });
    const subscriber = createRedisPubSub(worker.redis, { prefix });
    const other = createRedisPubSub(worker.redis, { prefix: `${worker.prefix}:` });
    const received: string[] = [];
    const leaked: string[] = [];
    await subscriber.subscribe('catalog', (m) => received.push(m));
    await other.subscribe('catalog', (m) => leaked.push(m));
    await publisher.publish('catalog', 'invalidate:title:1');
    await waitFor(() => received.length === 1);
    expect(received).toEqual(['invalidate:title:1']);
    expect(leaked).toEqual([]);
    await Promise.all([publisher.close(), subscriber.close(), other.close()]);
    await worker.cleanup();
    await api.cleanup();
  });
});
