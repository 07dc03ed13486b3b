import { auditLog, payments, playbackStreams } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayableVideo, insertTitle } from '../../testing/catalog-rows';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { entitlementOf } from '../playback';
import { seedPlans } from './plans.service';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);
const PHONE = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';
const TV = 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 Chrome/85.0 TV Safari/537.36';

interface PlanView {
  id: string;
  code: string;
  name: string;
  interval: string;
  prices: Record<string, number>;
  grants: { premiumCatalog: boolean; adFree: boolean; downloads: boolean; maxQuality: number; maxStreams: number };
  active: boolean;
}

/** Plans as finance defines them, what buying one grants, and the plan's stream limit at playback. */
describe.each(backings)('plans and what they grant (%s)', (backing) => {
  let t: TestApp;
  let finance: SignedIn;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ backing });
    await seedPlans(t.ctx.db.db);
    finance = await signInStaff(t, ['finance']);
  });
  afterAll(() => t.close());

  const code = (name: string) => `${name}-${Date.now().toString(36)}-${++seq}`;
  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, who: SignedIn | null = finance) =>
    t.app.inject({
      method,
      url: `/api/v1/admin/billing/plans${url}`,
      headers: who?.auth ?? {},
      ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
    });
  const publicPlans = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' })).json<{ items: PlanView[] }>().items;
  const dayPass = (overrides: Record<string, unknown> = {}) => ({
    code: code('day-pass'),
    name: 'Day Pass',
    description: 'Premium titles for a day, with ads.',
    interval: 'day',
    prices: { UGX: 1_000 },
    grants: { premiumCatalog: true, adFree: false, downloads: false, maxQuality: 480, maxStreams: 3 },
    ...overrides,
  });

  async function buy(who: SignedIn, planId: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: who.auth,
      payload: { planId, provider: 'sandbox', idempotencyKey: code('buy') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { payment, nextAction } = res.json<{
      payment: { id: string; amount: number };
      nextAction: { url: string };
    }>();
    const link = new URL(nextAction.url);
    const decided = await t.app.inject({
      method: 'POST',
      url: link.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `sig=${encodeURIComponent(link.searchParams.get('sig')!)}&decision=approve`,
    });
    expect(decided.statusCode).toBe(200);
    return payment;
  }

  it('finance creates a plan with prices, length and grants; it goes on sale and grants exactly that', async () => {
    const body = dayPass();
    const res = await admin('POST', '', body);
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json<PlanView>();
    expect(plan).toMatchObject({
      code: body.code,
      name: 'Day Pass',
      interval: 'day',
      prices: { UGX: 1000 },
      grants: body.grants,
      active: true,
    });
    const audits = await t.ctx.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, 'plan.create')));
    expect(audits).toEqual([expect.objectContaining({ actorId: finance.userId })]);
    expect((await publicPlans()).map((p) => p.code)).toContain(body.code);

    const buyer = await registerViewer(t);
    const before = Date.now();
    const payment = await buy(buyer, plan.id);
    expect(payment.amount).toBe(1000);
    const entitlement = await entitlementOf(t.ctx.db.db, buyer.userId);
    // Premium titles, but with ads and no downloads; the free plan's 720p stays the floor.
    expect(entitlement).toMatchObject({ premium: true, ads: true, downloads: false, maxQuality: 720, maxStreams: 3 });
    // A day is 24 hours from the payment.
    const until = entitlement.accessUntil!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 86_400_000);
  });

  it('refuses a second plan with the same code, and bad plans, in the API format', async () => {
    const body = dayPass();
    expect((await admin('POST', '', body)).statusCode).toBe(201);
    const duplicate = await admin('POST', '', { ...dayPass(), code: body.code.toUpperCase() });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'CONFLICT', requestId: expect.any(String) });

    const bad: Record<string, unknown>[] = [
      dayPass({ prices: { UGX: 999.5 } }),
      dayPass({ prices: { UGX: -5 } }),
      dayPass({ prices: { EUR: 300 } }),
      dayPass({ prices: {} }),
      dayPass({ interval: 'fortnight' }),
      dayPass({ code: 'Has Spaces' }),
      dayPass({ name: '' }),
      dayPass({ grants: { premiumCatalog: true, adFree: true, downloads: true, maxQuality: 999, maxStreams: 1 } }),
      dayPass({ grants: { premiumCatalog: true, adFree: true, downloads: true, maxQuality: 720, maxStreams: 0 } }),
      dayPass({ grants: { premiumCatalog: true } }),
      dayPass({ amount: 1000 }),
    ];
    for (const payload of bad) {
      const res = await admin('POST', '', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    }
    const codes = (await admin('GET', '')).json<{ items: PlanView[] }>().items.map((p) => p.code);
    for (const payload of bad) expect(codes).not.toContain(payload.code);
  });

  it('keeps plan management for finance', async () => {
    const viewer = await registerViewer(t);
    const [anyPlan] = await publicPlans();
    for (const who of [viewer, null]) {
      const expected = who ? 403 : 401;
      expect((await admin('GET', '', undefined, who)).statusCode).toBe(expected);
      expect((await admin('POST', '', dayPass(), who)).statusCode).toBe(expected);
      expect((await admin('PATCH', `/${anyPlan!.id}`, { name: 'Hacked' }, who)).statusCode).toBe(expected);
    }
    expect((await publicPlans()).find((p) => p.id === anyPlan!.id)!.name).toBe(anyPlan!.name);
  });

  it('edits a plan: new buyers pay the new price and get the new grants, earlier buyers keep theirs', async () => {
    const plan = (await admin('POST', '', dayPass())).json<PlanView>();
    const early = await registerViewer(t);
    await buy(early, plan.id);

    const edited = await admin('PATCH', `/${plan.id}`, {
      prices: { UGX: 1_500, USD: 50 },
      grants: { ...plan.grants, adFree: true, downloads: true, maxStreams: 1 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ prices: { UGX: 1500, USD: 50 }, grants: { adFree: true, maxStreams: 1 } });

    expect(await entitlementOf(t.ctx.db.db, early.userId)).toMatchObject({
      ads: true,
      downloads: false,
      maxStreams: 3,
    });
    const late = await registerViewer(t);
    expect((await buy(late, plan.id)).amount).toBe(1500);
    expect(await entitlementOf(t.ctx.db.db, late.userId)).toMatchObject({ ads: false, downloads: true, maxStreams: 1 });

    // Taken off sale: gone from the public list and no longer bought.
    expect((await admin('PATCH', `/${plan.id}`, { active: false })).statusCode).toBe(200);
    expect((await publicPlans()).map((p) => p.id)).not.toContain(plan.id);
    expect((await admin('GET', '')).json<{ items: PlanView[] }>().items.map((p) => p.id)).toContain(plan.id);
    const buyer = await registerViewer(t);
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: buyer.auth,
      payload: { planId: plan.id, provider: 'sandbox', idempotencyKey: code('off-sale') },
    });
    expect(off.statusCode).toBe(404);
    expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId))).toEqual([]);
  });

  it('refuses bad edits: unknown plan, nothing to change, a price on the free plan, no price left', async () => {
    const plan = (await admin('POST', '', dayPass())).json<PlanView>();
    const free = (await publicPlans()).find((p) => p.code === 'free')!;
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['/00000000-0000-4000-8000-000000000000', { name: 'X' }, 404, 'NOT_FOUND'],
      ['/not-a-uuid', { name: 'X' }, 400, 'VALIDATION_FAILED'],
      [`/${plan.id}`, {}, 400, 'VALIDATION_FAILED'],
      [`/${plan.id}`, { code: 'renamed-code' }, 400, 'VALIDATION_FAILED'],
      [`/${plan.id}`, { interval: 'year' }, 400, 'VALIDATION_FAILED'],
      [`/${plan.id}`, { prices: {} }, 400, 'VALIDATION_FAILED'],
      [`/${free.id}`, { prices: { UGX: 100 } }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, body, status, errorCode] of cases) {
      const res = await admin('PATCH', url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(status);
      expect(res.json().error).toMatchObject({ code: errorCode, requestId: expect.any(String) });
    }
    const plans = (await admin('GET', '')).json<{ items: PlanView[] }>().items;
    expect(plans.find((p) => p.id === plan.id)!.prices).toEqual({ UGX: 1000 });
    expect(plans.find((p) => p.id === free.id)!.prices).toEqual({});
  });

  describe("the plan's concurrent streams at playback", () => {
    let titleId: string;

    beforeAll(async () => {
      const videoId = await insertPlayableVideo(t.ctx.db.db);
      titleId = (await insertTitle(t.ctx.db.db, { videoId, accessTier: 'premium' })).id;
    });

    const start = (who: SignedIn, ua: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/playback',
        headers: { ...who.auth, 'user-agent': ua },
        payload: { titleId },
      });

    it('Premium Month plays on two devices at once; a third is refused naming both, until one goes quiet', async () => {
      const viewer = await registerViewer(t);
      // Without a pass the premium title does not start at all.
      const refused = await start(viewer, PHONE);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.details).toMatchObject({ reason: 'premium_required' });

      const month = (await publicPlans()).find((p) => p.code === 'premium-month')!;
      expect(month.grants.maxStreams).toBe(2);
      await buy(viewer, month.id);
      expect((await start(viewer, PHONE)).statusCode).toBe(200);
      expect((await start(viewer, LAPTOP)).statusCode).toBe(200);
      const third = await start(viewer, TV);
      expect(third.statusCode).toBe(409);
      expect(third.json().error.code).toBe('STREAM_LIMIT_REACHED');
      expect(third.json().error.message).toContain('2 streams');
      expect(third.json().error.message).toContain('Chrome on Android');
      expect(third.json().error.message).toContain('Chrome on Windows');
      expect(third.json().error.details.devices).toHaveLength(2);

      // The phone stops sending heartbeats: past the idle window it no longer counts.
      await t.ctx.db.db
        .update(playbackStreams)
        .set({ lastSeenAt: new Date(Date.now() - (t.config.STREAM_IDLE_SECONDS + 1) * 1000) })
        .where(and(eq(playbackStreams.userId, viewer.userId), eq(playbackStreams.device, 'Chrome on Android')));
      expect((await start(viewer, TV)).statusCode).toBe(200);
    });
  });
});
