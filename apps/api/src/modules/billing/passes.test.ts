import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addInterval, extendPass, kampalaDay } from './passes';

const instant = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2030-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const interval = fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const);
const KAMPALA = 3 * 3600_000;
const local = (d: Date) => new Date(d.getTime() + KAMPALA);

describe('pass extension', () => {
  it('extends from the later of now and the current expiry, never losing or back-dating time', () => {
    fc.assert(
      fc.property(instant, fc.option(instant), interval, (now, currentEnd, iv) => {
        const { periodStart, periodEnd } = extendPass(currentEnd, now, iv);
        const later = currentEnd && currentEnd > now ? currentEnd : now;
        expect(periodStart.getTime()).toBe(later.getTime());
        expect(periodEnd.getTime()).toBeGreaterThan(periodStart.getTime());
      }),
    );
  });

  it('stacks: two payments in a row give the same end as one after the other', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 5 * 86_400_000 }), interval, interval, (now, later, a, b) => {
        const first = extendPass(null, now, a);
        // The second payment arrives while the first is still running.
        const paidAt = new Date(Math.min(now.getTime() + later, first.periodEnd.getTime() - 1));
        const second = extendPass(first.periodEnd, paidAt, b);
        expect(second.periodStart.getTime()).toBe(first.periodEnd.getTime());
        expect(second.periodEnd.getTime()).toBe(addInterval(first.periodEnd, b).getTime());
      }),
    );
  });

  it('an expired pass restarts from now', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 365 * 86_400_000 }), interval, (now, ago, iv) => {
        const ended = new Date(now.getTime() - ago);
        expect(extendPass(ended, now, iv).periodStart.getTime()).toBe(now.getTime());
      }),
    );
  });

  it('days and weeks are exact; months and years keep the Kampala time of day and clamp the day', () => {
    fc.assert(
      fc.property(instant, interval, (from, iv) => {
        const to = addInterval(from, iv);
        if (iv === 'day') expect(to.getTime() - from.getTime()).toBe(86_400_000);
        if (iv === 'week') expect(to.getTime() - from.getTime()).toBe(7 * 86_400_000);
        if (iv === 'month' || iv === 'year') {
          const a = local(from);
          const b = local(to);
          expect(b.getUTCHours() * 60 + b.getUTCMinutes()).toBe(a.getUTCHours() * 60 + a.getUTCMinutes());
          const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
          expect(months).toBe(iv === 'month' ? 1 : 12);
          expect(b.getUTCDate()).toBeLessThanOrEqual(a.getUTCDate());
          expect(to.getTime() - from.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
        }
      }),
    );
  });

  it('uses Kampala calendar boundaries, not UTC ones', () => {
    // 31 Jan 23:30 in Kampala is still 31 Jan there (20:30 UTC): a month later is 29 Feb 2028, 23:30 Kampala.
    const from = new Date('2028-01-31T20:30:00Z');
    const to = addInterval(from, 'month');
    expect(to.toISOString()).toBe('2028-02-29T20:30:00.000Z');
    expect(kampalaDay(to)).toBe('2028-02-29');
    // 1 Mar 01:00 in Kampala is 28 Feb 22:00 UTC: the month is March there, so a month later is 1 Apr.
    expect(addInterval(new Date('2027-02-28T22:00:00Z'), 'month').toISOString()).toBe('2027-03-31T22:00:00.000Z');
    expect(addInterval(new Date('2028-02-29T09:00:00Z'), 'year').toISOString()).toBe('2029-02-28T09:00:00.000Z');
  });
});
