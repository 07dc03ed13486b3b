import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Delivery counters for budgets and frequency caps. Each counter is a number of delivered
 * impressions plus a set of live reservations (serving id → expiry). A decision reserves one unit
 * under every counter it needs, all or none, and only while delivered + live reservations stay
 * under each limit; the impression pixel confirms the reservation (moves it into delivered) once,
 * or it lapses. So concurrent decisions can never promise more than a limit, and a replayed or
 * late pixel can never push a counter over it.
 */
export interface CounterLimit {
  key: string;
  limit: number;
  /** How long the counter must outlive its last use. */
  ttlSeconds: number;
  /** Delivered so far according to the database, written only when the counter does not exist yet. */
  seed?: number;
}

export interface AdCounters {
  /** Returns the index of the first full limit, or -1 when one unit was reserved under every limit. */
  reserve(servingId: string, limits: readonly CounterLimit[], expiresAtMs: number, nowMs: number): Promise<number>;
  /**
   * Turns a live reservation into one delivered unit under each key. False when there was no live
   * reservation for this serving id under the first key (expired, already confirmed or never made).
   */
  confirm(
    servingId: string,
    counters: readonly Pick<CounterLimit, 'key' | 'ttlSeconds'>[],
    nowMs: number,
  ): Promise<boolean>;
  /** Delivered and live reservations, for reports and tests. */
  usage(key: string, nowMs: number): Promise<{ delivered: number; reserved: number }>;
  close(): Promise<void>;
}

/**
 * Expiry times with their serving ids, earliest on top: lapsed reservations are found by popping,
 * never by scanning every live one.
 */
class ExpiryHeap {
  private readonly times: number[] = [];
  private readonly ids: string[] = [];

  peek(): number | undefined {
    return this.times[0];
  }

  push(time: number, id: string): void {
    let i = this.times.length;
    this.times.push(time);
    this.ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= time) break;
      this.move(parent, i);
      i = parent;
    }
    this.times[i] = time;
    this.ids[i] = id;
  }

  pop(): [number, string] {
    const top: [number, string] = [this.times[0]!, this.ids[0]!];
    const time = this.times.pop()!;
    const id = this.ids.pop()!;
    const n = this.times.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const child = left + 1 < n && this.times[left + 1]! < this.times[left]! ? left + 1 : left;
      if (this.times[child]! >= time) break;
      this.move(child, i);
      i = child;
    }
    this.times[i] = time;
    this.ids[i] = id;
    return top;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.ids[to] = this.ids[from]!;
  }
}

interface MemoryCounter {
  delivered: number;
  /** Live reservations: serving id → expiry. Its size is the reserved count. */
  reservations: Map<string, number>;
  /**
   * The same reservations by expiry. A confirmed reservation leaves the map at once and its heap
   * entry stays until it lapses, when it is popped and skipped; so each reservation is pushed and
   * popped once, and a decision with nothing lapsed costs O(1) per counter.
   */
  byExpiry: ExpiryHeap;
  expiresAt: number;
}

/** One process, single-threaded: each call runs to completion before the next, so it is atomic. */
export function createMemoryCounters(options: { sweepIntervalMs?: number } = {}): AdCounters {
  const counters = new Map<string, MemoryCounter>();
  const live = (key: string, now: number) => {
    const c = counters.get(key);
    if (!c || c.expiresAt <= now) return undefined;
    while ((c.byExpiry.peek() ?? Infinity) <= now) {
      const [exp, id] = c.byExpiry.pop();
      if (c.reservations.get(id) === exp) c.reservations.delete(id);
    }
    return c;
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, c] of counters) if (c.expiresAt <= now) counters.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    async reserve(servingId, limits, expiresAtMs, now) {
      const found = limits.map((l) => {
        let c = live(l.key, now);
        if (!c) {
          c = {
            delivered: l.seed ?? 0,
            reservations: new Map(),
            byExpiry: new ExpiryHeap(),
            expiresAt: now + l.ttlSeconds * 1000,
          };
          counters.set(l.key, c);
        }
        return c;
      });
      const full = limits.findIndex((l, i) => found[i]!.delivered + found[i]!.reservations.size >= l.limit);
      if (full >= 0) return full;
      limits.forEach((l, i) => {
        found[i]!.reservations.set(servingId, expiresAtMs);
        found[i]!.byExpiry.push(expiresAtMs, servingId);
        found[i]!.expiresAt = Math.max(found[i]!.expiresAt, now + l.ttlSeconds * 1000);
      });
      return -1;
    },
    async confirm(servingId, keys, now) {
      const first = keys[0] && live(keys[0].key, now);
      if (!first?.reservations.has(servingId)) return false;
      for (const k of keys) {
        const c = live(k.key, now);
        if (c?.reservations.delete(servingId)) {
          c.delivered += 1;
          c.expiresAt = Math.max(c.expiresAt, now + k.ttlSeconds * 1000);
        }
      }
      return true;
    },
    async usage(key, now) {
      const c = live(key, now);
      return { delivered: c?.delivered ?? 0, reserved: c?.reservations.size ?? 0 };
    },
    async close() {
      clearInterval(sweep);
      counters.clear();
    },
  };
}

// KEYS: delivered_1, reservations_1, delivered_2, reservations_2, …
// ARGV: servingId, now, expiresAt, then per counter: limit, ttlMs, seed ('' for none).
const RESERVE = `
local id = ARGV[1]
local now = tonumber(ARGV[2])
local n = #KEYS / 2
for i = 1, n do
  local delivered, reservations = KEYS[2 * i - 1], KEYS[2 * i]
  local limit, ttl, seed = tonumber(ARGV[3 * i + 1]), ARGV[3 * i + 2], ARGV[3 * i + 3]
  if seed ~= '' then redis.call('SET', delivered, seed, 'NX', 'PX', ttl) end
  redis.call('ZREMRANGEBYSCORE', reservations, '-inf', now)
  local used = tonumber(redis.call('GET', delivered) or '0') + redis.call('ZCARD', reservations)
  if used >= limit then return i - 1 end
end
for i = 1, n do
  local ttl = tonumber(ARGV[3 * i + 2])
  redis.call('ZADD', KEYS[2 * i], ARGV[3], id)
  if redis.call('PTTL', KEYS[2 * i]) < ttl then redis.call('PEXPIRE', KEYS[2 * i], ttl) end
end
return -1
`;

// KEYS as above; ARGV: servingId, now, then per counter: ttlMs.
const CONFIRM = `
local id = ARGV[1]
local now = tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[2], id)
if not score or tonumber(score) <= now then return 0 end
for i = 1, #KEYS / 2 do
  if redis.call('ZREM', KEYS[2 * i], id) == 1 then
    redis.call('INCR', KEYS[2 * i - 1])
    local ttl = tonumber(ARGV[2 + i])
    if redis.call('PTTL', KEYS[2 * i - 1]) < ttl then redis.call('PEXPIRE', KEYS[2 * i - 1], ttl) end
  end
end
return 1
`;

/** EVALSHA, loading the script on the first NOSCRIPT: the script text is not resent with every call. */
function script(redis: Redis, source: string) {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (keys: string[], args: string[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

/** Atomic across API instances: each call is one Lua script. The connection is the caller's. */
export function createRedisCounters(redis: Redis, options: { prefix: string }): AdCounters {
  const reserve = script(redis, RESERVE);
  const confirm = script(redis, CONFIRM);
  const keysOf = (key: string) => [`${options.prefix}${key}:n`, `${options.prefix}${key}:r`];
  return {
    async reserve(servingId, limits, expiresAtMs, now) {
      const keys = limits.flatMap((l) => keysOf(l.key));
      const args = limits.flatMap((l) => [
        String(l.limit),
        String(l.ttlSeconds * 1000),
        l.seed === undefined ? '' : String(l.seed),
      ]);
      return Number(await reserve(keys, [servingId, String(now), String(expiresAtMs), ...args]));
    },
    async confirm(servingId, counters, now) {
      if (counters.length === 0) return false;
      const keys = counters.flatMap((c) => keysOf(c.key));
      const args = counters.map((c) => String(c.ttlSeconds * 1000));
      return Number(await confirm(keys, [servingId, String(now), ...args])) === 1;
    },
    async usage(key, now) {
      const [n, r] = keysOf(key);
      const [delivered, reserved] = await Promise.all([redis.get(n!), redis.zcount(r!, `(${now}`, '+inf')]);
      return { delivered: Number(delivered ?? 0), reserved };
    },
    async close() {},
  };
}
