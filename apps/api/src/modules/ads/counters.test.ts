import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryCounters } from './counters';

/**
 * The in-memory counters drop lapsed reservations from an expiry heap instead of scanning them all.
 * This checks them against the plain model they replace (every reservation rescanned on each
 * call) over random sequences of decisions, impressions and clocks.
 */
function model() {
  const counters = new Map<string, { delivered: number; reservations: Map<string, number>; expiresAt: number }>();
  const live = (key: string, now: number) => {
    const c = counters.get(key);
    if (!c || c.expiresAt <= now) return undefined;
    for (const [id, exp] of c.reservations) if (exp <= now) c.reservations.delete(id);
    return c;
  };
  return {
    reserve(id: string, limits: { key: string; limit: number; ttlSeconds: number }[], expiresAt: number, now: number) {
      const found = limits.map((l) => {
        let c = live(l.key, now);
        if (!c) {
          c = { delivered: 0, reservations: new Map(), expiresAt: now + l.ttlSeconds * 1000 };
          counters.set(l.key, c);
        }
        return c;
      });
      const full = limits.findIndex((l, i) => found[i]!.delivered + found[i]!.reservations.size >= l.limit);
      if (full >= 0) return full;
      limits.forEach((l, i) => {
        found[i]!.reservations.set(id, expiresAt);
        found[i]!.expiresAt = Math.max(found[i]!.expiresAt, now + l.ttlSeconds * 1000);
      });
      return -1;
    },
    confirm(id: string, keys: { key: string; ttlSeconds: number }[], now: number) {
      const first = keys[0] && live(keys[0].key, now);
      if (!first?.reservations.has(id)) return false;
      for (const k of keys) {
        const c = live(k.key, now);
        if (c?.reservations.delete(id)) {
          c.delivered += 1;
          c.expiresAt = Math.max(c.expiresAt, now + k.ttlSeconds * 1000);
        }
      }
      return true;
    },
    usage(key: string, now: number) {
      const c = live(key, now);
      return { delivered: c?.delivered ?? 0, reserved: c?.reservations.size ?? 0 };
    },
  };
}

const KEYS = ['budget', 'cap:h', 'cap:d'];
const step = fc.oneof(
  fc.record({
    kind: fc.constant('reserve' as const),
    advance: fc.integer({ min: 0, max: 3000 }),
    holdMs: fc.integer({ min: 1, max: 8000 }),
    keys: fc.subarray(KEYS, { minLength: 1 }),
    limit: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('confirm' as const),
    advance: fc.integer({ min: 0, max: 3000 }),
    which: fc.nat(),
    keys: fc.subarray(KEYS, { minLength: 1 }),
  }),
);

describe('in-memory ad counters', () => {
  it('decide, confirm and count exactly like rescanning every reservation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 80 }), async (steps) => {
        const counters = createMemoryCounters();
        const expected = model();
        let now = 1_700_000_000_000;
        let serial = 0;
        try {
          for (const s of steps) {
            now += s.advance;
            if (s.kind === 'reserve') {
              const id = `s${++serial}`;
              const limits = s.keys.map((key) => ({ key, limit: s.limit, ttlSeconds: 20 }));
              const got = await counters.reserve(id, limits, now + s.holdMs, now);
              expect(got).toBe(expected.reserve(id, limits, now + s.holdMs, now));
            } else {
              const id = `s${(s.which % Math.max(1, serial)) + 1}`;
              const keys = s.keys.map((key) => ({ key, ttlSeconds: 20 }));
              expect(await counters.confirm(id, keys, now)).toBe(expected.confirm(id, keys, now));
            }
            for (const key of KEYS) expect(await counters.usage(key, now)).toEqual(expected.usage(key, now));
          }
        } finally {
          await counters.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
