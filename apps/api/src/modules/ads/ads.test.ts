import { randomUUID } from 'node:crypto';
import { adEvents, subscriptions } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerViewer, type SignedIn, signInStaff } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import {
  addBannerCreative,
  addVideoCreative,
  campaignBody,
  createCampaign,
  expectValidVast,
  insertGenreAndCategory,
  insertReadyAdVideo,
  insertTargetedTitle,
  makeImage,
  parseVast,
  pathOf,
  pauseAllCampaigns,
  putUpload,
  subscribe,
  uploadAdVideo,
} from './ads-testing';

const vast = (t: TestApp, query = '', headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `/api/v1/ads/vast${query}`, headers });

describe('ad server', () => {
  let t: TestApp;
  let staff: SignedIn;
  let videoId: string;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await signInStaff(t, ['ad_manager']);
    videoId = await uploadAdVideo(t, staff, 6);
  }, 120_000);
  afterAll(async () => t?.close());

  const impressionsOf = async (campaignId: string) =>
    (await t.ctx.db.db.select().from(adEvents).where(eq(adEvents.campaignId, campaignId))).filter(
      (e) => e.event === 'impression',
    ).length;

  it('transcodes an ad video into the small ladder with progressive MP4s', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/admin/ads/videos/${videoId}`, headers: staff.auth });
    expect(res.statusCode).toBe(200);
    const video = res.json<{ purpose: string; status: string; renditions: { height: number }[] }>();
    expect(video).toMatchObject({ purpose: 'ad', status: 'ready' });
    expect(video.renditions.map((r) => r.height)).toEqual([144, 240, 360]);
  });

  it('serves a non-skippable pre-roll as valid VAST 4.2 that a third-party client parses, with fetchable media', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    const creative = await addVideoCreative(t, staff, campaign.id, videoId, { name: 'Umbrellas & <rain> "now"' });
    const res = await vast(t, '?deviceId=device-fill-0001');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    await expectValidVast(res.body);
    const parsed = await parseVast(res.body);
    expect(parsed.ads).toHaveLength(1);
    const ad = parsed.ads[0]!;
    expect(ad.title).toBe('Umbrellas & <rain> "now"');
    expect(ad.adServingId).toMatch(/^[0-9a-f-]{36}$/);
    const linear = ad.creatives.find((c) => c.type === 'linear')!;
    // No skipoffset: the client reports no skip delay (null or -1 depending on its version).
    expect(linear.skipDelay ?? -1).toBe(-1);
    expect(Math.abs(linear.duration - 6)).toBeLessThanOrEqual(1);
    expect(linear.universalAdIds[0]!.value).toBe(creative.id);
    expect(linear.mediaFiles.map((m) => m.height)).toEqual([144, 240, 360]);
    expect(Object.keys(linear.trackingEvents)).toEqual(
      expect.arrayContaining(['start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete']),
    );
    const media = await t.app.inject({ method: 'GET', url: pathOf(linear.mediaFiles[0]!.fileURL) });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('video/mp4');
  });

  it('serves a skippable pre-roll, and only the lowest rendition on a slow link or with data saver', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId, { skipAfterSeconds: 5 });
    for (const query of ['?network=slow&deviceId=device-slow-0001', '?dataSaver=true&deviceId=device-slow-0002']) {
      const res = await vast(t, query);
      await expectValidVast(res.body);
      const linear = (await parseVast(res.body)).ads[0]!.creatives.find((c) => c.type === 'linear')!;
      expect(linear.skipDelay).toBe(5);
      expect(linear.trackingEvents.skip).toHaveLength(1);
      expect(linear.mediaFiles.map((m) => m.height)).toEqual([144]);
    }
  });

  it('serves a banner (VAST NonLinear) instead of a video on a very slow link, counted once like any ad', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff, { frequencyCaps: { perDay: 1 } });
    await addVideoCreative(t, staff, campaign.id, videoId);
    const wide = await addBannerCreative(t, staff, campaign.id, '728x90');
    const strip = await addBannerCreative(t, staff, campaign.id, '320x50');
    // A slot-only size is never an overlay.
    await addBannerCreative(t, staff, campaign.id, '300x250');

    const slow = await vast(t, '?bandwidthKbps=250&device=mobile&deviceId=device-vslow-001');
    expect(slow.statusCode).toBe(200);
    await expectValidVast(slow.body);
    const ad = (await parseVast(slow.body)).ads[0]!;
    expect(ad.creatives.map((c) => c.type)).toEqual(['nonlinear']);
    const creative = ad.creatives[0]!;
    expect(creative.universalAdIds[0]!.value).toBe(strip.id);
    const banner = creative.variations![0]!;
    expect(banner).toMatchObject({ width: '320', height: '50', type: 'image/png', minSuggestedDuration: 15 });
    const image = await t.app.inject({ method: 'GET', url: pathOf(banner.staticResource!) });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');

    // The impression counts once, and the campaign's frequency cap now holds for video and banner alike.
    for (let i = 0; i < 2; i++) {
      expect((await t.app.inject({ method: 'GET', url: pathOf(ad.impressionURLTemplates[0]!.url) })).statusCode).toBe(
        204,
      );
    }
    expect(await impressionsOf(campaign.id)).toBe(1);
    for (const query of ['?bandwidthKbps=250&device=mobile', '?bandwidthKbps=5000', '']) {
      expect(
        (await parseVast((await vast(t, `${query}${query ? '&' : '?'}deviceId=device-vslow-001`)).body)).ads,
      ).toEqual([]);
    }
    const click = await t.app.inject({ method: 'GET', url: pathOf(banner.nonlinearClickThroughURLTemplate!) });
    expect(click.statusCode).toBe(302);
    expect(click.headers.location).toBe('https://acme.example.ug/banner');

    // A computer gets the wide overlay.
    const desktop = (
      await parseVast((await vast(t, '?bandwidthKbps=100&device=desktop&deviceId=device-vslow-002')).body)
    ).ads[0]!.creatives[0]!;
    expect(desktop.universalAdIds[0]!.value).toBe(wide.id);
    expect(desktop.variations![0]).toMatchObject({ width: '728', height: '90' });

    // At or above the threshold the video plays as usual, every rendition offered.
    const normal = (await parseVast((await vast(t, '?bandwidthKbps=400&device=mobile&deviceId=device-vslow-003')).body))
      .ads[0]!.creatives[0]!;
    expect(normal.type).toBe('linear');
    expect(normal.mediaFiles.map((m) => m.height)).toEqual([144, 240, 360]);

    // A campaign without an overlay banner: the lowest rendition of its video.
    await pauseAllCampaigns(t, staff);
    const videoOnly = await createCampaign(t, staff);
    await addVideoCreative(t, staff, videoOnly.id, videoId);
    const fallback = await vast(t, '?bandwidthKbps=250&device=mobile&deviceId=device-vslow-004');
    await expectValidVast(fallback.body);
    const linear = (await parseVast(fallback.body)).ads[0]!.creatives[0]!;
    expect(linear.type).toBe('linear');
    expect(linear.mediaFiles.map((m) => m.height)).toEqual([144]);

    expect((await vast(t, '?bandwidthKbps=-1')).statusCode).toBe(400);
    expect((await vast(t, '?bandwidthKbps=fast')).statusCode).toBe(400);
  });

  it('answers an empty VAST with an Error URL when nothing fits, and never serves a subscriber without ads', async () => {
    await pauseAllCampaigns(t, staff);
    const empty = await vast(t);
    await expectValidVast(empty.body);
    const parsed = await parseVast(empty.body);
    expect(parsed.ads).toHaveLength(0);
    expect(parsed.errorURLTemplates[0]).toMatch(/\/api\/v1\/ads\/no-fill$/);
    expect((await t.app.inject({ method: 'GET', url: pathOf(parsed.errorURLTemplates[0]!) })).statusCode).toBe(204);

    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId);
    const viewer = await registerViewer(t);
    expect((await parseVast((await vast(t, '', viewer.auth)).body)).ads).toHaveLength(1);
    await subscribe(t, viewer.userId);
    for (let i = 0; i < 5; i++) {
      const res = await vast(t, '', viewer.auth);
      await expectValidVast(res.body);
      expect((await parseVast(res.body)).ads).toHaveLength(0);
    }
    const banners = await t.app.inject({
      method: 'GET',
      url: '/api/v1/ads/banners?slots=home-top',
      headers: viewer.auth,
    });
    expect(banners.json()).toEqual({ slots: { 'home-top': null } });
  });

  it('asks the entitlement service: ads for a plan with ads or an ended subscription, none in an ad-free grace period', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId);
    await addBannerCreative(t, staff, campaign.id, '728x90');
    const day = 86_400_000;
    const seesAds = async (viewer: SignedIn) => {
      const res = await vast(t, '', viewer.auth);
      await expectValidVast(res.body);
      const preRolls = (await parseVast(res.body)).ads.length;
      const banners = await t.app.inject({
        method: 'GET',
        url: '/api/v1/ads/banners?slots=home-top',
        headers: viewer.auth,
      });
      const banner = banners.json<{ slots: Record<string, unknown> }>().slots['home-top'];
      expect(preRolls === 1).toBe(banner !== null);
      return preRolls === 1;
    };

    const withAds = await registerViewer(t);
    await subscribe(t, withAds.userId, { adFree: false });
    expect(await seesAds(withAds)).toBe(true);

    const ended = await registerViewer(t);
    await subscribe(t, ended.userId, {
      currentPeriodStart: new Date(Date.now() - 40 * day),
      currentPeriodEnd: new Date(Date.now() - 10 * day),
    });
    expect(await seesAds(ended)).toBe(true);

    const inGrace = await registerViewer(t);
    await subscribe(t, inGrace.userId, {
      status: 'past_due',
      currentPeriodEnd: new Date(Date.now() - day),
      graceUntil: new Date(Date.now() + 2 * day),
    });
    expect(await seesAds(inGrace)).toBe(false);

    // Moving to an ad-free plan stops the ads at the next decision.
    await t.ctx.db.db.update(subscriptions).set({ adFree: true }).where(eq(subscriptions.userId, withAds.userId));
    expect(await seesAds(withAds)).toBe(false);
  });

  it('reports requests and fill per placement in the inventory report', async () => {
    const today = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/ads/reports/inventory',
        headers: staff.auth,
      });
      expect(res.statusCode, res.body).toBe(200);
      const days = res.json<{ days: { day: string; placement: string; requests: number; filled: number }[] }>().days;
      const row = days.filter((d) => d.placement === 'preroll').at(-1);
      return { requests: row?.requests ?? 0, filled: row?.filled ?? 0 };
    };
    await pauseAllCampaigns(t, staff);
    const before = await today();
    await vast(t, '?deviceId=device-inventory-1');
    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId);
    await vast(t, '?deviceId=device-inventory-2');
    await vast(t, '?deviceId=device-inventory-3');
    expect(await today()).toEqual({ requests: before.requests + 3, filled: before.filled + 2 });
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/ads/reports/inventory?from=2026-03-10&to=2026-03-01',
      headers: staff.auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('targets by audience, device and title genre', async () => {
    await pauseAllCampaigns(t, staff);
    const signedInOnly = await createCampaign(t, staff, {
      targeting: { audience: 'signed_in', devices: ['tv'], genres: ['drama'] },
    });
    await addVideoCreative(t, staff, signedInOnly.id, videoId);
    const viewer = await registerViewer(t);
    // Anonymous, wrong device, no title: each excluded.
    expect((await parseVast((await vast(t, '?device=tv')).body)).ads).toHaveLength(0);
    expect((await parseVast((await vast(t, '?device=mobile', viewer.auth)).body)).ads).toHaveLength(0);
    expect((await parseVast((await vast(t, '?device=tv', viewer.auth)).body)).ads).toHaveLength(0);
    const untargeted = await createCampaign(t, staff, { priority: 1 });
    await addVideoCreative(t, staff, untargeted.id, videoId);
    const res = await parseVast((await vast(t, '?device=tv', viewer.auth)).body);
    expect(res.ads[0]!.id).toBe(untargeted.id);
  });

  it('targets each of genre, category, audio language, maturity, device and audience on its own', async () => {
    const { genre, category } = await insertGenreAndCategory(t);
    const matching = await insertTargetedTitle(t, {
      genreIds: [genre.id],
      categoryIds: [category.id],
      audioLanguages: ['lg', 'en'],
      maturity: '13',
    });
    const other = await insertTargetedTitle(t, { audioLanguages: ['en'], maturity: '18' });
    const viewer = await registerViewer(t);
    let n = 0;
    /** Whether a decision for this request serves the campaign (a fresh device each time: no caps in play). */
    const served = async (campaignId: string, query: string, headers: Record<string, string> = {}) => {
      n += 1;
      const res = await vast(t, `?deviceId=device-target-${n}${query}`, headers);
      await expectValidVast(res.body);
      const ads = (await parseVast(res.body)).ads;
      expect(ads.every((ad) => ad.id === campaignId)).toBe(true);
      return ads.length === 1;
    };
    const only = async (targeting: Record<string, unknown>) => {
      await pauseAllCampaigns(t, staff);
      const campaign = await createCampaign(t, staff, { targeting });
      await addVideoCreative(t, staff, campaign.id, videoId);
      return campaign.id;
    };

    for (const targeting of [
      { genres: [genre.slug] },
      { categories: [category.slug] },
      { audioLanguages: ['lg'] },
      { maxMaturity: '13' },
    ]) {
      const id = await only(targeting);
      const what = JSON.stringify(targeting);
      expect(await served(id, `&titleId=${matching.id}`), what).toBe(true);
      expect(await served(id, `&titleId=${other.id}`), what).toBe(false);
    }
    // Content targeting needs the title: without one (or an unknown one) only maturity has nothing to refuse.
    const genreOnly = await only({ genres: [genre.slug] });
    expect(await served(genreOnly, '')).toBe(false);
    expect(await served(genreOnly, `&titleId=${randomUUID()}`)).toBe(false);

    const tvOnly = await only({ devices: ['tv'] });
    expect(await served(tvOnly, '&device=tv')).toBe(true);
    expect(await served(tvOnly, '&device=mobile')).toBe(false);
    // Without a device parameter the User-Agent decides.
    expect(await served(tvOnly, '', { 'user-agent': 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0)' })).toBe(true);
    expect(await served(tvOnly, '', { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile' })).toBe(false);

    const anonymousOnly = await only({ audience: 'anonymous' });
    expect(await served(anonymousOnly, '')).toBe(true);
    expect(await served(anonymousOnly, '', viewer.auth)).toBe(false);
    const signedInOnly = await only({ audience: 'signed_in' });
    expect(await served(signedInOnly, '', viewer.auth)).toBe(true);
    expect(await served(signedInOnly, '')).toBe(false);

    // Banner slots honour the same targeting.
    const bannerTargeted = await only({ genres: [genre.slug] });
    await addBannerCreative(t, staff, bannerTargeted, '300x250');
    const slot = async (titleId: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/ads/banners?slots=title-below-synopsis&titleId=${titleId}&deviceId=device-target-banner`,
        })
      ).json<{ slots: Record<string, unknown> }>().slots['title-below-synopsis'];
    expect(await slot(matching.id)).not.toBeNull();
    expect(await slot(other.id)).toBeNull();
  });

  it('serves only campaigns in their flight, the highest priority first', async () => {
    await pauseAllCampaigns(t, staff);
    const hour = 3600_000;
    const future = await createCampaign(t, staff, {
      startsAt: new Date(Date.now() + hour).toISOString(),
      endsAt: new Date(Date.now() + 48 * hour).toISOString(),
    });
    await addVideoCreative(t, staff, future.id, videoId);
    const ended = await createCampaign(t, staff, {
      startsAt: new Date(Date.now() - 48 * hour).toISOString(),
      endsAt: new Date(Date.now() - hour).toISOString(),
    });
    await addVideoCreative(t, staff, ended.id, videoId);
    expect((await parseVast((await vast(t, '?deviceId=device-flight-01')).body)).ads).toEqual([]);

    const low = await createCampaign(t, staff, { priority: 3 });
    await addVideoCreative(t, staff, low.id, videoId);
    const high = await createCampaign(t, staff, { priority: 9 });
    await addVideoCreative(t, staff, high.id, videoId);
    for (let i = 0; i < 5; i++) {
      const ads = (await parseVast((await vast(t, `?deviceId=device-priority-${i}0`)).body)).ads;
      expect(ads.map((ad) => ad.id)).toEqual([high.id]);
    }
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/ads/campaigns/${high.id}`,
      headers: staff.auth,
      payload: { status: 'paused' },
    });
    const ads = (await parseVast((await vast(t, '?deviceId=device-priority-paused')).body)).ads;
    expect(ads.map((ad) => ad.id)).toEqual([low.id]);
  });

  it('paces an even campaign over its flight and lets an as-fast-as-possible one deliver at once', async () => {
    // A 1 000-impression budget over 100 hours, half an hour in: about 5 impressions are due (6 with the first minute's).
    const hour = 3600_000;
    const flight = {
      startsAt: new Date(Date.now() - hour / 2).toISOString(),
      endsAt: new Date(Date.now() + 99.5 * hour).toISOString(),
      budget: { kind: 'impressions', amount: 1000 },
    };
    const decisions = async (campaignId: string, tag: string) => {
      let count = 0;
      for (let i = 0; i < 12; i++) {
        const ads = (await parseVast((await vast(t, `?deviceId=device-${tag}-${i}000`)).body)).ads;
        if (ads[0]?.id === campaignId) count += 1;
      }
      return count;
    };
    await pauseAllCampaigns(t, staff);
    const even = await createCampaign(t, staff, { ...flight, pacing: 'even' });
    await addVideoCreative(t, staff, even.id, videoId);
    expect(await decisions(even.id, 'even')).toBe(6);

    await pauseAllCampaigns(t, staff);
    const asap = await createCampaign(t, staff, { ...flight, pacing: 'asap' });
    await addVideoCreative(t, staff, asap.id, videoId);
    expect(await decisions(asap.id, 'asap')).toBe(12);
  });

  it('takes only pre-rolls of 6 to 30 seconds', async () => {
    const campaign = await createCampaign(t, staff);
    const add = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
        headers: staff.auth,
        payload: {
          kind: 'video',
          name: 'Spot',
          videoId: id,
          clickUrl: 'https://acme.example.ug/',
          skipAfterSeconds: null,
        },
      });
    // A real 3-second upload, measured by the pipeline.
    const short = await add(await uploadAdVideo(t, staff, 3));
    expect(short.statusCode, short.body).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    expect(short.json().error.message).toMatch(/6 to 30 seconds/);
    for (const seconds of [5.2, 31, 45]) {
      const res = await add(await insertReadyAdVideo(t, seconds));
      expect(res.statusCode, `${seconds} s`).toBe(400);
    }
    for (const seconds of [6, 30]) {
      const res = await add(await insertReadyAdVideo(t, seconds));
      expect(res.statusCode, `${seconds} s`).toBe(201);
      expect(res.json().creative.durationSeconds).toBe(seconds);
    }
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
      headers: staff.auth,
    });
    expect(listed.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('counts an impression once, and nothing for altered, replayed or borrowed tracking links', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId);
    const first = (await parseVast((await vast(t, '?deviceId=device-track-01')).body)).ads[0]!;
    const second = (await parseVast((await vast(t, '?deviceId=device-track-02')).body)).ads[0]!;
    const pixel = first.impressionURLTemplates[0]!.url;
    const url = new URL(pixel);

    const altered = new URL(pixel);
    const sig = altered.searchParams.get('s')!;
    altered.searchParams.set('s', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    const forged = await t.app.inject({ method: 'GET', url: pathOf(altered.toString()) });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('FORBIDDEN');

    // Another serving id's payload under this link's signature.
    const borrowed = new URL(pixel);
    borrowed.searchParams.set('p', new URL(second.impressionURLTemplates[0]!.url).searchParams.get('p')!);
    expect((await t.app.inject({ method: 'GET', url: pathOf(borrowed.toString()) })).statusCode).toBe(403);

    // The impression signature does not work for another event.
    const asClick = `/api/v1/ads/events/complete${url.search}`;
    expect((await t.app.inject({ method: 'GET', url: asClick })).statusCode).toBe(403);
    expect(await impressionsOf(campaign.id)).toBe(0);

    expect((await t.app.inject({ method: 'GET', url: pathOf(pixel) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: pathOf(pixel) })).statusCode).toBe(204);
    expect(await impressionsOf(campaign.id)).toBe(1);

    const linear = first.creatives.find((c) => c.type === 'linear')!;
    for (const event of ['start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete', 'complete']) {
      expect((await t.app.inject({ method: 'GET', url: pathOf(linear.trackingEvents[event]![0]!) })).statusCode).toBe(
        204,
      );
    }
    // Quartiles of an ad whose impression never came are not counted.
    const secondLinear = second.creatives.find((c) => c.type === 'linear')!;
    await t.app.inject({ method: 'GET', url: pathOf(secondLinear.trackingEvents.complete![0]!) });

    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/report`,
      headers: staff.auth,
    });
    expect(report.statusCode).toBe(200);
    const body = report.json<{ totals: Record<string, number>; days: { day: string; impressions: number }[] }>();
    expect(body.totals).toMatchObject({
      decisions: 2,
      impressions: 1,
      uniqueReach: 1,
      starts: 1,
      completes: 1,
      completionRate: 1,
      fillRate: 0.5,
      spend: 4,
    });
    expect(body.days.at(-1)!.impressions).toBe(1);

    // Days are Kampala days (UTC+3): an impression at 22:30 UTC counts on the next day there.
    await t.ctx.db.db
      .update(adEvents)
      .set({ occurredAt: new Date('2026-03-14T22:30:00Z') })
      .where(and(eq(adEvents.campaignId, campaign.id), eq(adEvents.event, 'impression')));
    const impressionsOn = async (day: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/report?from=${day}&to=${day}`,
        headers: staff.auth,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ days: { day: string; impressions: number }[] }>().days[0]!.impressions;
    };
    expect(await impressionsOn('2026-03-15')).toBe(1);
    expect(await impressionsOn('2026-03-14')).toBe(0);
  });

  it('reports unique reach, CTR and completion rate over several viewers', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff, { cpm: 5000 });
    await addVideoCreative(t, staff, campaign.id, videoId);
    const get = (url: string) => t.app.inject({ method: 'GET', url: pathOf(url) });
    // Two ads to one device, one to another; one not shown at all.
    const ads: Awaited<ReturnType<typeof parseVast>>['ads'] = [];
    for (const device of ['device-reach-a', 'device-reach-a', 'device-reach-b', 'device-reach-c']) {
      ads.push((await parseVast((await vast(t, `?deviceId=${device}`)).body)).ads[0]!);
    }
    for (const ad of ads.slice(0, 3)) await get(ad.impressionURLTemplates[0]!.url);
    const linear = (i: number) => ads[i]!.creatives.find((c) => c.type === 'linear')!;
    for (const i of [0, 1, 2]) await get(linear(i).trackingEvents.start![0]!);
    await get(linear(0).trackingEvents.complete![0]!);
    await get(linear(1).videoClickThroughURLTemplate!.url);

    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/report`,
      headers: staff.auth,
    });
    expect(report.json().totals).toMatchObject({
      decisions: 4,
      impressions: 3,
      uniqueReach: 2,
      starts: 3,
      completes: 1,
      clicks: 1,
      ctr: 0.3333,
      completionRate: 0.3333,
      fillRate: 0.75,
      spend: 15,
    });
    expect(report.json()).toMatchObject({ budget: 5000, maxImpressions: 1000, totals: { budgetUsed: 0.003 } });
  });

  it('redirects a click only to the creative’s own URL, and counts it once', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    await addVideoCreative(t, staff, campaign.id, videoId, { clickUrl: 'https://acme.example.ug/buy?x=1&y=2' });
    const ad = (await parseVast((await vast(t, '?deviceId=device-click-1')).body)).ads[0]!;
    await t.app.inject({ method: 'GET', url: pathOf(ad.impressionURLTemplates[0]!.url) });
    const click = ad.creatives.find((c) => c.type === 'linear')!.videoClickThroughURLTemplate!.url;

    const res = await t.app.inject({ method: 'GET', url: pathOf(click) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://acme.example.ug/buy?x=1&y=2');
    await t.app.inject({ method: 'GET', url: pathOf(click) });

    const withTarget = await t.app.inject({ method: 'GET', url: `${pathOf(click)}&url=https://evil.example` });
    expect(withTarget.statusCode).toBe(400);
    expect(withTarget.headers.location).toBeUndefined();
    const altered = new URL(click);
    altered.searchParams.set('s', 'A'.repeat(43));
    const forged = await t.app.inject({ method: 'GET', url: pathOf(altered.toString()) });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers.location).toBeUndefined();

    const clicks = (await t.ctx.db.db.select().from(adEvents).where(eq(adEvents.campaignId, campaign.id))).filter(
      (e) => e.event === 'click',
    );
    expect(clicks).toHaveLength(1);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/report.csv`,
      headers: staff.auth,
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'day,decisions,impressions,unique_reach,starts,completes,skips,clicks,ctr,completion_rate,fill_rate,spend_ugx',
    );
    expect(lines.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2},1,1,1,0,0,0,1,1,0,1,4$/);
  });

  it('serves banners for named slots after checking the uploaded image', async () => {
    await pauseAllCampaigns(t, staff);
    const campaign = await createCampaign(t, staff);
    const create = async (size: string, bytes: Buffer) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
        headers: staff.auth,
        payload: {
          kind: 'banner',
          name: `Banner ${size}`,
          size,
          clickUrl: 'https://acme.example.ug/',
          contentType: 'image/png',
          contentLength: bytes.length,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ creative: { id: string }; upload: { url: string; headers: Record<string, string> } }>();
      const put = await t.app.inject({
        method: 'PUT',
        url: pathOf(body.upload.url),
        headers: { ...body.upload.headers, 'content-length': String(bytes.length) },
        payload: bytes,
      });
      expect(put.statusCode).toBe(200);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives/${body.creative.id}/image/complete`,
        headers: staff.auth,
      });
    };
    const wrongSize = await create('728x90', await makeImage(300, 250));
    expect(wrongSize.statusCode).toBe(400);
    expect(wrongSize.json().error.message).toMatch(/728×90/);
    // Declared a PNG, uploaded a JPEG: refused too.
    const wrongType = await create('728x90', await makeImage(728, 90, 'jpeg'));
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/jpeg/) });
    expect((await create('728x90', await makeImage(728, 90))).statusCode).toBe(200);

    const res = await t.app.inject({ method: 'GET', url: '/api/v1/ads/banners?slots=home-top,watch-below-player' });
    expect(res.statusCode).toBe(200);
    const slots = res.json<{ slots: Record<string, { width: number; imageUrl: string; clickUrl: string } | null> }>()
      .slots;
    expect(slots['watch-below-player']).toBeNull();
    expect(slots['home-top']).toMatchObject({ width: 728, height: 90, size: '728x90' });
    const image = await t.app.inject({ method: 'GET', url: pathOf(slots['home-top']!.imageUrl) });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    const click = await t.app.inject({ method: 'GET', url: pathOf(slots['home-top']!.clickUrl) });
    expect(click.headers.location).toBe('https://acme.example.ug/');

    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/ads/banners?slots=home-top,nowhere' });
    expect(bad.statusCode).toBe(400);
  });

  it('gives a refused banner a new upload, previews live banners, and removes only creatives that never served', async () => {
    const campaign = await createCampaign(t, staff);
    const base = `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`;
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: staff.auth, ...(payload ? { payload } : {}) });
    type Created = {
      creative: { id: string; status: string; imageUrl: string | null };
      upload: { url: string; headers: Record<string, string> };
    };

    const wrong = await makeImage(300, 250);
    const created = await call('POST', base, {
      kind: 'banner',
      name: 'Phone strip',
      size: '320x50',
      clickUrl: 'https://acme.example.ug/',
      contentType: 'image/png',
      contentLength: wrong.length,
    });
    expect(created.statusCode, created.body).toBe(201);
    const banner = created.json<Created>();
    expect(banner.creative.imageUrl).toBeNull();
    expect(await putUpload(t, banner.upload, wrong)).toBe(200);
    expect((await call('POST', `${base}/${banner.creative.id}/image/complete`)).statusCode).toBe(400);

    // Still pending: a new upload for the right picture, then it goes live with a preview.
    const right = await makeImage(320, 50);
    const again = await call('POST', `${base}/${banner.creative.id}/image`, {
      contentType: 'image/png',
      contentLength: right.length,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(await putUpload(t, again.json<Created>().upload, right)).toBe(200);
    const completed = await call('POST', `${base}/${banner.creative.id}/image/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    const preview = completed.json<{ imageUrl: string | null }>().imageUrl;
    expect(preview).not.toBeNull();
    const image = await t.app.inject({ method: 'GET', url: pathOf(preview!) });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    const listed = (await call('GET', base)).json<{ items: { id: string; imageUrl: string | null }[] }>().items;
    expect(listed.find((c) => c.id === banner.creative.id)?.imageUrl).toBeTruthy();

    // A live banner keeps its picture and its history: no new upload, no delete.
    const payload = { contentType: 'image/png', contentLength: right.length };
    expect((await call('POST', `${base}/${banner.creative.id}/image`, payload)).statusCode).toBe(409);
    expect((await call('DELETE', `${base}/${banner.creative.id}`)).statusCode).toBe(409);

    // One that never got its picture goes, with nothing left behind.
    const pending = (
      await call('POST', base, {
        kind: 'banner',
        name: 'Never uploaded',
        size: '300x250',
        clickUrl: 'https://acme.example.ug/',
        contentType: 'image/png',
        contentLength: 1000,
      })
    ).json<Created>();
    expect((await call('DELETE', `${base}/${pending.creative.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `${base}/${pending.creative.id}`)).statusCode).toBe(404);
    const left = (await call('GET', base)).json<{ items: { id: string }[] }>().items.map((c) => c.id);
    expect(left).toEqual([banner.creative.id]);
    const viewer = await registerViewer(t);
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `${base}/${banner.creative.id}`,
      headers: viewer.auth,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('signs the parts of a large pre-roll upload for ad managers, and only for ad videos', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/ads/videos',
      headers: staff.auth,
      payload: { filename: 'long-spot.mp4', contentType: 'video/mp4', size: 40 * 1024 * 1024 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { video, upload } = created.json<{ video: { id: string }; upload: { mode: string; partCount: number } }>();
    expect(upload.mode).toBe('multipart');
    const parts = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/videos/${video.id}/upload/parts`,
      headers: staff.auth,
      payload: { partNumbers: [1, 2] },
    });
    expect(parts.statusCode, parts.body).toBe(200);
    expect(parts.json<{ parts: { partNumber: number }[] }>().parts.map((p) => p.partNumber)).toEqual([1, 2]);
    const stored = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/videos/${video.id}/upload/parts`,
      headers: staff.auth,
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual({ parts: [] });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/videos/${randomUUID()}/upload/parts`,
      headers: staff.auth,
      payload: { partNumbers: [1] },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps management to ad managers and refuses bad input without changing anything', async () => {
    const viewer = await registerViewer(t);
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/ads/campaigns',
      headers: viewer.auth,
      payload: campaignBody(),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/ads/campaigns' })).statusCode).toBe(401);

    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/ads/campaigns?limit=100', headers: staff.auth })
    ).json<{ items: unknown[] }>().items.length;
    const bad = [
      campaignBody({ endsAt: new Date(Date.now() - 7200_000).toISOString() }),
      campaignBody({ budget: { kind: 'impressions', amount: 0 } }),
      campaignBody({ cpm: 1.5 }),
      campaignBody({ targeting: { devices: ['toaster'] } }),
      campaignBody({ frequencyCaps: { perHour: -1 } }),
      campaignBody({ extra: true }),
    ];
    for (const payload of bad) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/ads/campaigns',
        headers: staff.auth,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    }
    const campaign = await createCampaign(t, staff);
    for (const clickUrl of [
      'javascript:alert(1)',
      'ftp://acme.example/',
      '//evil.example/',
      'https://u:p@acme.example/',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
        headers: staff.auth,
        payload: { kind: 'video', name: 'x', videoId, clickUrl, skipAfterSeconds: null },
      });
      expect(res.statusCode, clickUrl).toBe(400);
      const banner = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
        headers: staff.auth,
        payload: { kind: 'banner', name: 'x', size: '300x250', clickUrl, contentType: 'image/png', contentLength: 100 },
      });
      expect(banner.statusCode, clickUrl).toBe(400);
      expect(banner.json().error.code).toBe('VALIDATION_FAILED');
    }
    const tooLateSkip = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
      headers: staff.auth,
      payload: { kind: 'video', name: 'x', videoId, clickUrl: 'https://acme.example/', skipAfterSeconds: 20 },
    });
    expect(tooLateSkip.statusCode).toBe(400);
    const creatives = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/ads/campaigns/${campaign.id}/creatives`,
      headers: staff.auth,
    });
    expect(creatives.json()).toEqual({ items: [] });
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/ads/campaigns?limit=100', headers: staff.auth })
    ).json<{ items: unknown[] }>().items.length;
    expect(after).toBe(before + 1);
    expect((await vast(t, '?titleId=not-a-uuid')).statusCode).toBe(400);
  });
});
