import { adEvents } from '@kush/db';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, signInStaff } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { addBannerCreative, createCampaign, makeImage, pathOf, pauseAllCampaigns } from './ads-testing';
import { type AdCounters, createMemoryCounters, createRedisCounters } from './counters';
import { ServingService } from './serving.service';

const redisUrl = process.env.TEST_REDIS_URL;
const backings = [
  { name: 'in-memory', backing: 'embedded' as const },
  ...(redisUrl ? [{ name: 'Redis', backing: 'servers' as const }] : []),
];

describe.each([
  { name: 'in-memory', make: async () => ({ counters: createMemoryCounters(), done: async () => {} }) },
  ...(redisUrl
    ? [
        {
          name: 'Redis',
          make: async () => {
            const redis = new Redis(redisUrl);
            const prefix = `kf-test-ads-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
            return { counters: createRedisCounters(redis, { prefix }), done: async () => void (await redis.quit()) };
          },
        },
      ]
    : []),
])('$name ad counters', ({ make }) => {
  let counters: AdCounters;
  let done: () => Promise<void>;
  beforeAll(async () => ({ counters, done } = await make()));
  afterAll(async () => done());

  it('reserve nothing past a limit under concurrent decisions, all limits or none', async () => {
    const now = Date.now();
    const limits = [
      { key: 'b:one', limit: 7, ttlSeconds: 60, seed: 2 },
      { key: 'cap:one', limit: 100, ttlSeconds: 60 },
    ];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => counters.reserve(`s${i}`, limits, now + 10_000, now)),
    );
    expect(results.filter((r) => r === -1)).toHaveLength(5);
    expect(results.filter((r) => r === 0)).toHaveLength(55);
    // The refused decisions took nothing from the cap either.
    expect(await counters.usage('cap:one', now)).toEqual({ delivered: 0, reserved: 5 });
  });

  it('confirm a reservation once, and never after it lapsed', async () => {
    const now = Date.now();
    const limits = [{ key: 'b:two', limit: 2, ttlSeconds: 60 }];
    expect(await counters.reserve('a', limits, now + 1000, now)).toBe(-1);
    expect(await counters.reserve('b', limits, now + 1000, now)).toBe(-1);
    expect(await counters.reserve('c', limits, now + 1000, now)).toBe(0);
    const confirms = await Promise.all(Array.from({ length: 10 }, () => counters.confirm('a', limits, now + 10)));
    expect(confirms.filter(Boolean)).toHaveLength(1);
    expect(await counters.confirm('b', limits, now + 1000)).toBe(false);
    expect(await counters.usage('b:two', now + 1000)).toEqual({ delivered: 1, reserved: 0 });
    // b's lapsed reservation freed its unit; c takes it.
    expect(await counters.reserve('c', limits, now + 5000, now + 1000)).toBe(-1);
    expect(await counters.reserve('d', limits, now + 5000, now + 1000)).toBe(0);
  });
});

describe.each(backings)('concurrent banner decisions ($name)', ({ backing }) => {
  let t: TestApp;
  let staff: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ backing });
    staff = await signInStaff(t, ['ad_manager']);
  });
  afterAll(async () => t?.close());

  async function bannerCampaign(overrides: Record<string, unknown>) {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff, { priority: 10, ...overrides });
    const bytes = await makeImage(320, 50);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
      headers: staff.auth,
      payload: {
        kind: 'banner',
        name: 'Strip',
        size: '320x50',
        clickUrl: 'https://acme.example.ug/',
        contentType: 'image/png',
        contentLength: bytes.length,
      },
    });
    const body = res.json<{ creative: { id: string }; upload: { url: string; headers: Record<string, string> } }>();
    await t.app.inject({
      method: 'PUT',
      url: pathOf(body.upload.url),
      headers: { ...body.upload.headers, 'content-length': String(bytes.length) },
      payload: bytes,
    });
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives/${body.creative.id}/image/complete`,
      headers: staff.auth,
    });
    expect(done.statusCode, done.body).toBe(200);
    return campaign;
  }

  const decide = (deviceId: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/ads/banners?slots=watch-below-player&deviceId=${deviceId}` });
  const served = (campaignId: string, res: { json: () => unknown }) => {
    const slot = (res.json() as { slots: Record<string, { impressionUrl: string } | null> }).slots[
      'watch-below-player'
    ];
    if (!slot) return null;
    const claims = Buffer.from(new URL(slot.impressionUrl).searchParams.get('p')!, 'base64url').toString();
    expect(claims).toContain(campaignId);
    return slot;
  };
  const impressions = async (campaignId: string) =>
    (await t.ctx.db.db.select().from(adEvents).where(eq(adEvents.campaignId, campaignId))).filter(
      (e) => e.event === 'impression',
    ).length;

  it('never exceeds a frequency cap', async () => {
    const campaign = await bannerCampaign({ frequencyCaps: { perHour: 2, perDay: 3 } });
    const answers = await Promise.all(Array.from({ length: 25 }, () => decide('device-cap-0001')));
    const ads = answers.map((r) => served(campaign.id, r)).filter((a) => a !== null);
    expect(ads).toHaveLength(2);
    await Promise.all(ads.map((a) => t.app.inject({ method: 'GET', url: pathOf(a.impressionUrl) })));
    const more = await Promise.all(Array.from({ length: 10 }, () => decide('device-cap-0001')));
    expect(more.map((r) => served(campaign.id, r)).filter((a) => a !== null)).toHaveLength(0);
    expect(await impressions(campaign.id)).toBe(2);
    // Another device has its own cap.
    expect(served(campaign.id, await decide('device-cap-0002'))).not.toBeNull();
  });

  /**
   * The serving service on a clock of the test's choosing (decisions take `now`), with the app's
   * counters' backing. Image URLs are signed on the real clock (storage refuses one already expired then).
   */
  function servingOnItsOwnClock() {
    const redis = t.ctx.infra.redis;
    const counters = redis
      ? createRedisCounters(redis, { prefix: `${t.ctx.config.REDIS_KEY_PREFIX}:` })
      : createMemoryCounters({ sweepIntervalMs: 86_400_000 });
    const storage: typeof t.ctx.storage = Object.assign(Object.create(t.ctx.storage) as typeof t.ctx.storage, {
      presignGet: (key: string) => t.ctx.storage.presignGet(key, { expiresInSeconds: 3600 }),
    });
    const serving = new ServingService(t.ctx.db.db, storage, counters, {
      secret: t.ctx.config.AD_SIGNING_SECRET,
      publicBaseUrl: 'http://localhost',
      reservationSeconds: 120,
      eventWindowSeconds: 4 * 3600,
      inventoryTtlMs: 0,
    });
    return { serving, close: () => counters.close() };
  }

  it.each([
    { cap: 'perHour', frequencyCaps: { perHour: 2 } },
    { cap: 'perDay', frequencyCaps: { perDay: 2 } },
    { cap: 'lifetime', frequencyCaps: { lifetime: 2 } },
  ])('never exceeds a $cap cap on its own', async ({ cap, frequencyCaps }) => {
    const campaign = await bannerCampaign({ frequencyCaps });
    const device = `device-${cap}-0001`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => decide(device)));
    const ads = answers.map((r) => served(campaign.id, r)).filter((a) => a !== null);
    expect(ads).toHaveLength(2);
    await Promise.all(ads.map((a) => t.app.inject({ method: 'GET', url: pathOf(a.impressionUrl) })));
    const more = await Promise.all(Array.from({ length: 10 }, () => decide(device)));
    expect(more.map((r) => served(campaign.id, r)).filter((a) => a !== null)).toHaveLength(0);
    expect(await impressions(campaign.id)).toBe(2);
  });

  it('never delivers past an impressions budget', async () => {
    const campaign = await bannerCampaign({ budget: { kind: 'impressions', amount: 4 } });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => decide(`device-imps-${1000 + i}`)));
    const ads = answers.map((r) => served(campaign.id, r)).filter((a) => a !== null);
    expect(ads).toHaveLength(4);
    await Promise.all(ads.map((a) => t.app.inject({ method: 'GET', url: pathOf(a.impressionUrl) })));
    const later = await Promise.all(Array.from({ length: 10 }, (_, i) => decide(`device-imps-${2000 + i}`)));
    expect(later.map((r) => served(campaign.id, r)).filter((a) => a !== null)).toHaveLength(0);
    expect(await impressions(campaign.id)).toBe(4);
  });

  it('starts a daily cap again at midnight in Kampala, not in UTC', async () => {
    // A March flight: never live now, so it is decided here on its own clock.
    const campaign = await createCampaign(t, staff, {
      startsAt: '2026-03-01T00:00:00.000Z',
      endsAt: '2026-04-01T00:00:00.000Z',
      frequencyCaps: { perDay: 1 },
    });
    await addBannerCreative(t, staff, campaign.id, '320x50');
    const { serving, close } = servingOnItsOwnClock();
    const viewer = {
      userId: null,
      device: 'mobile',
      deviceId: 'device-kampala-day',
      clientFingerprint: 'x',
      lowData: false,
    };
    const seenAt = async (iso: string) => {
      const now = new Date(iso);
      const slot = (await serving.banners(viewer, ['watch-below-player'], now)).slots['watch-below-player'] as {
        impressionUrl: string;
      } | null;
      if (!slot) return false;
      const pixel = new URL(slot.impressionUrl).searchParams;
      expect(await serving.track('impression', pixel.get('p')!, pixel.get('s')!, now)).toBe(true);
      return true;
    };
    try {
      // 23:30 and 23:50 on 14 March in Kampala (UTC+3): one ad that day.
      expect(await seenAt('2026-03-14T20:30:00Z')).toBe(true);
      expect(await seenAt('2026-03-14T20:50:00Z')).toBe(false);
      // 00:10 on the 15th in Kampala, still the 14th in UTC: a new day.
      expect(await seenAt('2026-03-14T21:10:00Z')).toBe(true);
      // 23:00 on the 15th in Kampala: the same day as the last one.
      expect(await seenAt('2026-03-15T20:00:00Z')).toBe(false);
    } finally {
      await close();
    }
  });

  it('counts no impression that arrives after its reservation lapsed, and frees the unit', async () => {
    const campaign = await createCampaign(t, staff, {
      startsAt: '2026-05-01T00:00:00.000Z',
      endsAt: '2026-06-01T00:00:00.000Z',
      budget: { kind: 'impressions', amount: 1 },
    });
    await addBannerCreative(t, staff, campaign.id, '320x50');
    const { serving, close } = servingOnItsOwnClock();
    const at = (iso: string) => new Date(iso);
    const decide = async (iso: string, deviceId: string) =>
      (
        await serving.banners(
          { userId: null, device: 'mobile', deviceId, clientFingerprint: 'x', lowData: false },
          ['watch-below-player'],
          at(iso),
        )
      ).slots['watch-below-player'] as { impressionUrl: string } | null;
    const pixel = (slot: { impressionUrl: string }) => {
      const q = new URL(slot.impressionUrl).searchParams;
      return [q.get('p')!, q.get('s')!] as const;
    };
    try {
      const late = await decide('2026-05-10T10:00:00Z', 'device-lapse-01');
      expect(late).not.toBeNull();
      // The one-impression budget is reserved: nobody else gets it meanwhile.
      expect(await decide('2026-05-10T10:01:00Z', 'device-lapse-02')).toBeNull();
      // 121 s later the reservation (120 s) has lapsed: the pixel counts nothing, and the unit is free again.
      expect(await serving.track('impression', ...pixel(late!), at('2026-05-10T10:02:01Z'))).toBe(false);
      const next = await decide('2026-05-10T10:02:02Z', 'device-lapse-03');
      expect(next).not.toBeNull();
      expect(await serving.track('impression', ...pixel(next!), at('2026-05-10T10:02:30Z'))).toBe(true);
      expect(await impressions(campaign.id)).toBe(1);
      expect(await decide('2026-05-10T10:05:00Z', 'device-lapse-04')).toBeNull();
    } finally {
      await close();
    }
  });

  it('never spends past the budget under concurrent decisions and impressions', async () => {
    // 20 000 UGX at 4 000 000 UGX CPM (4 000 UGX an impression) buys 5 impressions.
    const campaign = await bannerCampaign({ budget: { kind: 'money', amount: 20_000 }, cpm: 4_000_000 });
    expect(campaign.maxImpressions).toBe(5);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => decide(`device-budget-${1000 + i}`)));
    const ads = answers.map((r) => served(campaign.id, r)).filter((a) => a !== null);
    expect(ads).toHaveLength(5);
    const pixels = ads.flatMap((a) => [a.impressionUrl, a.impressionUrl]);
    await Promise.all(pixels.map((url) => t.app.inject({ method: 'GET', url: pathOf(url) })));
    expect(await impressions(campaign.id)).toBe(5);
    const later = await Promise.all(Array.from({ length: 10 }, (_, i) => decide(`device-budget-${2000 + i}`)));
    expect(later.map((r) => served(campaign.id, r)).filter((a) => a !== null)).toHaveLength(0);
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/report`,
      headers: staff.auth,
    });
    expect(report.json()).toMatchObject({ budget: 20_000, totals: { impressions: 5, spend: 20_000, budgetUsed: 1 } });
  });
});
