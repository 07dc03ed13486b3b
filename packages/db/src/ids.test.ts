import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('makes distinct, well-formed, time-ordered ids, across many refills of the random pool', () => {
    const ids: string[] = [];
    // Several milliseconds' worth in one: the counter orders ids made in the same millisecond.
    for (let i = 0; i < 5000; i++) ids.push(uuidv7(1_790_000_000_000 + Math.floor(i / 1000)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    // The time is the first 48 bits.
    expect(ids[0]!.replace(/-/g, '').slice(0, 12)).toBe((1_790_000_000_000).toString(16).padStart(12, '0'));
  });

  it('does not repeat its random part', () => {
    const tails = new Set(Array.from({ length: 2000 }, () => uuidv7().slice(-12)));
    expect(tails.size).toBe(2000);
  });
});
