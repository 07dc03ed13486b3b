import { createHmac } from 'node:crypto';
import {
  type AdEventName,
  AppError,
  ClickUrl,
  MATURITY_RATING_VALUES,
  OVERLAY_BANNER_SIZES,
  SLOT_SIZES,
  type AdTargeting,
  type FrequencyCaps,
} from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import { progressiveFilePath, type TranscodeManifest } from '@kush/media';
import type { ObjectStorage } from '@kush/storage';
import { KAMPALA_OFFSET_MS, kampalaDay } from '../../lib/kampala-time';
import { entitlementOf } from '../playback';
import * as repo from './ads.repository';
import { maxImpressionsOf } from './campaigns.service';
import type { AdCounters, CounterLimit } from './counters';
import { encodeClaims, type ServingClaims, signEvent, verifyEvent } from './serving-token';
import { renderInline, renderNoFill, renderNonLinear, VAST_TRACKING_EVENTS, type VastMediaFile } from './vast';

export interface ServingSettings {
  secret: string;
  /** Absolute base of tracking URLs, e.g. https://kushfilms.com */
  publicBaseUrl: string;
  reservationSeconds: number;
  /** How long after the decision the other events (quartiles, clicks) still count. */
  eventWindowSeconds: number;
  /** How stale the in-process copy of live campaigns may get. */
  inventoryTtlMs: number;
}

export interface DecisionRequest {
  userId: string | null;
  device: string;
  deviceId?: string;
  /** Fallback identity of an anonymous viewer without a device id. */
  clientFingerprint: string;
  titleId?: string;
  /** Serve the lowest rendition only. */
  lowData: boolean;
  /**
   * The link is too slow for any video to start in time: a pre-roll decision answers with the
   * campaign's overlay banner (a VAST NonLinear ad) when it has one, else the lowest rendition.
   */
  verySlowLink?: boolean;
}

type Campaign = repo.CampaignRow;
interface VideoCreative {
  kind: 'video';
  id: string;
  row: repo.CreativeRow;
  prefix: string;
  renditions: TranscodeManifest['renditions'];
}
interface OverlayCreative {
  kind: 'banner';
  id: string;
  row: repo.CreativeRow;
}
type PrerollCreative = VideoCreative | OverlayCreative;
interface Inventory {
  loadedAt: number;
  campaigns: Campaign[];
  videos: Map<string, VideoCreative[]>;
  banners: Map<string, repo.CreativeRow[]>;
  delivered: Map<string, number>;
}

const MEDIA_URL_SECONDS = 6 * 3600;
const MAX_ATTEMPTS = 6;
const DAY = 86_400;
const TITLE_TTL_MS = 60_000;
/** How long a player should keep an overlay banner up (VAST minSuggestedDuration). */
const OVERLAY_SECONDS = 15;
const isOverlaySize = (size: string | null): boolean => OVERLAY_BANNER_SIZES.some((s) => s === size);

const rank = (rating: string) => MATURITY_RATING_VALUES.indexOf(rating as (typeof MATURITY_RATING_VALUES)[number]);

/**
 * Chooses ads and counts what they did. The choice honours schedule, entitlement, targeting,
 * priority, pacing, budget and frequency caps; budget and caps are reserved atomically in the
 * counters at decision time and confirmed by the impression pixel, so concurrent decisions on any
 * number of instances never promise more than a limit.
 */
export class ServingService {
  private inventory?: Promise<Inventory>;
  private readonly titles = new Map<string, { at: number; value: Promise<repo.TitleContext | undefined> }>();
  /** Media URLs of the current hour: every decision in the hour hands out the same ones. */
  private readonly mediaUrls = new Map<string, Promise<string>>();
  private mediaUrlsHour = 0;
  private readonly stats = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly counters: AdCounters,
    private readonly settings: ServingSettings,
  ) {}

  /** Forget the cached campaigns (after a management change here or on another instance). */
  invalidate(): void {
    this.inventory = undefined;
  }

  async vast(request: DecisionRequest, now = new Date()): Promise<string> {
    const noFill = renderNoFill(`${this.settings.publicBaseUrl}/api/v1/ads/no-fill`);
    if (!(await this.seesAds(request.userId, now))) return noFill;
    const inventory = await this.load(now);
    const title = request.titleId ? await this.titleContext(request.titleId) : undefined;
    const chosen = await this.choose(
      inventory,
      request,
      title,
      now,
      (c) => prerollCreatives(inventory, c, request),
      'preroll',
    );
    if (!chosen) return noFill;
    const { campaign, creative, payload, claims } = chosen;
    if (creative.kind === 'banner') {
      const [width, height] = creative.row.bannerSize!.split('x').map(Number) as [number, number];
      return renderNonLinear({
        servingId: claims.servingId,
        adId: campaign.id,
        creativeId: creative.id,
        title: creative.row.name,
        advertiser: campaign.advertiser,
        impressionUrl: this.eventUrl(payload, 'impression'),
        errorUrl: `${this.settings.publicBaseUrl}/api/v1/ads/no-fill`,
        clickThroughUrl: this.clickUrl(payload),
        image: {
          url: await this.mediaUrl(creative.row.imageKey!, now),
          contentType: creative.row.imageContentType ?? 'image/png',
          width,
          height,
        },
        minDisplaySeconds: OVERLAY_SECONDS,
      });
    }
    const renditions = [...creative.renditions].sort((a, b) => a.averageBandwidth - b.averageBandwidth);
    const served = request.lowData ? renditions.slice(0, 1) : renditions;
    const mediaFiles: VastMediaFile[] = await Promise.all(
      served.map(async (r) => ({
        url: await this.mediaUrl(`${creative.prefix}${progressiveFilePath(r)}`, now),
        width: r.width,
        height: r.height,
        bitrate: Math.max(1, Math.round(r.averageBandwidth / 1000)),
        type: 'video/mp4',
        codec: r.codecs,
      })),
    );
    const tracking = Object.fromEntries(VAST_TRACKING_EVENTS.map((e) => [e, this.eventUrl(payload, e)])) as Record<
      (typeof VAST_TRACKING_EVENTS)[number],
      string
    >;
    return renderInline({
      servingId: claims.servingId,
      adId: campaign.id,
      creativeId: creative.row.id,
      title: creative.row.name,
      advertiser: campaign.advertiser,
      durationSeconds: creative.row.durationSeconds ?? 0,
      skipAfterSeconds: creative.row.skipAfterSeconds,
      impressionUrl: this.eventUrl(payload, 'impression'),
      errorUrl: `${this.settings.publicBaseUrl}/api/v1/ads/no-fill`,
      clickThroughUrl: this.clickUrl(payload),
      tracking,
      mediaFiles,
    });
  }

  async banners(request: DecisionRequest, slots: (keyof typeof SLOT_SIZES)[], now = new Date()) {
    const result: Record<string, unknown> = Object.fromEntries(slots.map((s) => [s, null]));
    if (!(await this.seesAds(request.userId, now))) return { slots: result };
    const inventory = await this.load(now);
    const title = request.titleId ? await this.titleContext(request.titleId) : undefined;
    for (const slot of slots) {
      const size = SLOT_SIZES[slot];
      const chosen = await this.choose(
        inventory,
        request,
        title,
        now,
        (c) => inventory.banners.get(c.id)?.filter((b) => b.bannerSize === size),
        slot,
      );
      if (!chosen) continue;
      const [width, height] = size.split('x').map(Number) as [number, number];
      result[slot] = {
        servingId: chosen.claims.servingId,
        creativeId: chosen.creative.id,
        size,
        width,
        height,
        imageUrl: await this.mediaUrl(chosen.creative.imageKey!, now),
        clickUrl: this.clickUrl(chosen.payload),
        impressionUrl: this.eventUrl(chosen.payload, 'impression'),
        alt: `${chosen.campaign.advertiser}: ${chosen.creative.name}`,
      };
    }
    return { slots: result };
  }

  /**
   * Counts one tracking event, at most once per serving id. An impression confirms the decision's
   * reservation (only while it is live); the other events count only after their impression.
   * Returns whether it was counted; throws FORBIDDEN for a link this server did not sign.
   */
  async track(event: AdEventName, payload: string, signature: string, now = new Date()): Promise<boolean> {
    const claims = this.verified(event, payload, signature);
    return this.count(event, claims, now);
  }

  /** The creative's own validated URL, after counting the click: never a destination from the request. */
  async click(payload: string, signature: string, now = new Date()): Promise<string> {
    const claims = this.verified('click', payload, signature);
    const creative = await repo.findCreative(this.db, claims.creativeId);
    if (!creative) throw new AppError('NOT_FOUND', 'This ad is no longer available.');
    const target = ClickUrl.safeParse(creative.clickUrl);
    if (!target.success) throw new AppError('NOT_FOUND', 'This ad has no valid destination.');
    await this.count('click', claims, now);
    return target.data;
  }

  /** Writes this instance's decision counts to the database. */
  async flushStats(): Promise<void> {
    if (this.stats.size === 0) return;
    const rows = [...this.stats].map(([key, decisions]) => {
      const [day, placement, campaignKey] = key.split('|') as [string, string, string];
      return { day, placement, campaignKey, decisions };
    });
    this.stats.clear();
    await repo.addDecisionCounts(this.db, rows);
  }

  viewerKey(request: Pick<DecisionRequest, 'userId' | 'deviceId' | 'clientFingerprint'>): string {
    const identity = request.userId
      ? `u:${request.userId}`
      : request.deviceId
        ? `d:${request.deviceId}`
        : `f:${request.clientFingerprint}`;
    return createHmac('sha256', this.settings.secret).update(identity).digest('base64url').slice(0, 22);
  }

  private verified(event: AdEventName, payload: string, signature: string): ServingClaims {
    const claims = verifyEvent(this.settings.secret, payload, signature, event);
    if (!claims) throw new AppError('FORBIDDEN', 'This tracking link is not valid.');
    return claims;
  }

  private async count(event: AdEventName, claims: ServingClaims, now: Date): Promise<boolean> {
    const nowMs = now.getTime();
    const record = {
      servingId: claims.servingId,
      event,
      campaignId: claims.campaignId,
      creativeId: claims.creativeId,
      viewerKey: claims.viewerKey,
      occurredAt: now,
    };
    if (event === 'impression') {
      if (nowMs >= claims.expiresAt * 1000) return false;
      const campaign = (await this.load(now)).campaigns.find((c) => c.id === claims.campaignId);
      const ends = campaign ? campaign.endsAt.getTime() / 1000 : claims.issuedAt + 30 * DAY;
      const limits = this.limitsFor(claims.campaignId, claims.viewerKey, claims.issuedAt, ends, nowMs / 1000);
      if (!(await this.counters.confirm(claims.servingId, limits, nowMs))) return false;
      return repo.insertEvent(this.db, record);
    }
    if (nowMs >= (claims.issuedAt + this.settings.eventWindowSeconds) * 1000) return false;
    if (!(await repo.hasImpression(this.db, claims.servingId))) return false;
    return repo.insertEvent(this.db, record);
  }

  private async seesAds(userId: string | null, now: Date): Promise<boolean> {
    if (!userId) return true;
    return (await entitlementOf(this.db, userId, now)).ads;
  }

  private async choose<C extends { id: string }>(
    inventory: Inventory,
    request: DecisionRequest,
    title: repo.TitleContext | undefined,
    now: Date,
    creativesOf: (c: Campaign) => C[] | undefined,
    placement: string,
  ): Promise<{ campaign: Campaign; creative: C; claims: ServingClaims; payload: string } | undefined> {
    const nowMs = now.getTime();
    const eligible = inventory.campaigns
      .filter((c) => c.startsAt.getTime() <= nowMs && c.endsAt.getTime() > nowMs)
      .filter((c) => matches(c.targeting as AdTargeting, request, title))
      .map((c) => ({ campaign: c, creatives: creativesOf(c) ?? [], tiebreak: Math.random() }))
      .filter((c) => c.creatives.length > 0)
      .sort((a, b) => b.campaign.priority - a.campaign.priority || a.tiebreak - b.tiebreak)
      .slice(0, MAX_ATTEMPTS);
    const viewerKey = this.viewerKey(request);
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + this.settings.reservationSeconds;
    for (const { campaign, creatives } of eligible) {
      const servingId = uuidv7(nowMs);
      const limits = this.limitsFor(campaign.id, viewerKey, issuedAt, campaign.endsAt.getTime() / 1000, issuedAt, {
        budget: pacedLimit(campaign, nowMs),
        seed: inventory.delivered.get(campaign.id) ?? 0,
        caps: campaign.frequencyCaps,
      });
      if ((await this.counters.reserve(servingId, limits, expiresAt * 1000, nowMs)) >= 0) continue;
      const creative = creatives[Math.floor(Math.random() * creatives.length)]!;
      const claims = { servingId, campaignId: campaign.id, creativeId: creative.id, viewerKey, issuedAt, expiresAt };
      this.tally(now, placement, campaign.id);
      return { campaign, creative, claims, payload: encodeClaims(claims) };
    }
    this.tally(now, placement, 'none');
    return undefined;
  }

  /**
   * The counters one decision needs: the campaign's budget first (confirm checks the reservation
   * there), then each frequency cap in its hour and Kampala-day bucket of the decision time (a
   * daily cap starts again at the viewer's midnight, the day reports count in, not at 03:00).
   */
  private limitsFor(
    campaignId: string,
    viewerKey: string,
    issuedAt: number,
    endsAt: number,
    now: number,
    limits?: { budget: number; seed: number; caps: FrequencyCaps },
  ): CounterLimit[] {
    const lifetimeTtl = Math.max(DAY, Math.ceil(endsAt - now) + DAY);
    const viewer = `ads:f:${campaignId}:${viewerKey}`;
    const result: CounterLimit[] = [
      { key: `ads:b:${campaignId}`, limit: limits?.budget ?? 0, ttlSeconds: lifetimeTtl, seed: limits?.seed },
    ];
    const caps: [keyof FrequencyCaps, string, number][] = [
      ['perHour', `${viewer}:h${Math.floor(issuedAt / 3600)}`, 2 * 3600],
      ['perDay', `${viewer}:d${Math.floor((issuedAt + KAMPALA_OFFSET_MS / 1000) / DAY)}`, 2 * DAY],
      ['lifetime', `${viewer}:l`, lifetimeTtl],
    ];
    for (const [cap, key, ttlSeconds] of caps) {
      const limit = limits ? limits.caps[cap] : 0;
      if (limits && limit === null) continue;
      result.push({ key, limit: limit ?? 0, ttlSeconds });
    }
    return result;
  }

  private tally(now: Date, placement: string, campaignKey: string) {
    const key = `${kampalaDay(now)}|${placement}|${campaignKey}`;
    this.stats.set(key, (this.stats.get(key) ?? 0) + 1);
  }

  private eventUrl(payload: string, event: AdEventName): string {
    const s = signEvent(this.settings.secret, payload, event);
    return `${this.settings.publicBaseUrl}/api/v1/ads/events/${event}?p=${payload}&s=${s}`;
  }

  private clickUrl(payload: string): string {
    return `${this.settings.publicBaseUrl}/api/v1/ads/click?p=${payload}&s=${signEvent(this.settings.secret, payload, 'click')}`;
  }

  /** Signed as of the start of the hour, so every decision in that hour hands out the same cacheable URL. */
  private mediaUrl(key: string, now: Date): Promise<string> {
    const hour = Math.floor(now.getTime() / 3_600_000);
    if (hour !== this.mediaUrlsHour || this.mediaUrls.size > 10_000) {
      this.mediaUrls.clear();
      this.mediaUrlsHour = hour;
    }
    let url = this.mediaUrls.get(key);
    if (!url) {
      url = this.storage.presignGet(key, { expiresInSeconds: MEDIA_URL_SECONDS, signedAt: new Date(hour * 3_600_000) });
      url.catch(() => this.mediaUrls.delete(key));
      this.mediaUrls.set(key, url);
    }
    return url;
  }

  private titleContext(titleId: string): Promise<repo.TitleContext | undefined> {
    const cached = this.titles.get(titleId);
    if (cached && Date.now() - cached.at < TITLE_TTL_MS) return cached.value;
    if (this.titles.size > 5000) this.titles.clear();
    const value = repo.findTitleContext(this.db, titleId);
    this.titles.set(titleId, { at: Date.now(), value });
    value.catch(() => this.titles.delete(titleId));
    return value;
  }

  private load(now: Date): Promise<Inventory> {
    const current = this.inventory;
    if (current) {
      return current.then((inv) =>
        Date.now() - inv.loadedAt < this.settings.inventoryTtlMs ? inv : this.reload(now, current),
      );
    }
    return this.reload(now, current);
  }

  private reload(now: Date, seen: Promise<Inventory> | undefined): Promise<Inventory> {
    // Single flight: concurrent decisions share one reload.
    if (this.inventory && this.inventory !== seen) return this.inventory;
    const next = (async (): Promise<Inventory> => {
      const live = await repo.loadLiveCampaigns(this.db, now);
      const videos = new Map<string, VideoCreative[]>();
      const banners = new Map<string, repo.CreativeRow[]>();
      for (const { creative, video } of live.creatives) {
        if (creative.kind === 'video') {
          const manifest = video?.manifest as TranscodeManifest | null | undefined;
          if (video?.status !== 'ready' || !video.outputPrefix || !manifest?.renditions?.length) continue;
          const list = videos.get(creative.campaignId) ?? [];
          list.push({
            kind: 'video',
            id: creative.id,
            row: creative,
            prefix: video.outputPrefix,
            renditions: manifest.renditions,
          });
          videos.set(creative.campaignId, list);
        } else if (creative.imageKey) {
          const list = banners.get(creative.campaignId) ?? [];
          list.push(creative);
          banners.set(creative.campaignId, list);
        }
      }
      return { loadedAt: Date.now(), campaigns: live.campaigns, videos, banners, delivered: live.delivered };
    })();
    this.inventory = next;
    next.catch(() => {
      if (this.inventory === next) this.inventory = undefined;
    });
    return next;
  }
}

/**
 * What a pre-roll decision may serve for a campaign: its videos, or on a very slow link its
 * overlay banners (the one sized for the device first) when it has any.
 */
function prerollCreatives(
  inventory: Inventory,
  campaign: Campaign,
  request: DecisionRequest,
): PrerollCreative[] | undefined {
  if (request.verySlowLink) {
    const overlays = (inventory.banners.get(campaign.id) ?? []).filter((b) => isOverlaySize(b.bannerSize));
    if (overlays.length > 0) {
      const preferred = request.device === 'mobile' ? '320x50' : '728x90';
      const fitting = overlays.filter((b) => b.bannerSize === preferred);
      return (fitting.length > 0 ? fitting : overlays).map((row) => ({ kind: 'banner', id: row.id, row }));
    }
  }
  return inventory.videos.get(campaign.id);
}

/**
 * Even pacing spreads the budget over the flight: by any moment, at most the elapsed share of it
 * (plus one minute's worth, so delivery can begin). As fast as possible: the whole budget.
 */
export function pacedLimit(c: Campaign, nowMs: number): number {
  const max = maxImpressionsOf(c);
  if (c.pacing === 'asap') return max;
  const start = c.startsAt.getTime();
  const span = c.endsAt.getTime() - start;
  const share = Math.min(1, (nowMs - start + 60_000) / span);
  return Math.min(max, Math.max(1, Math.ceil(max * share)));
}

function matches(t: AdTargeting, request: DecisionRequest, title: repo.TitleContext | undefined): boolean {
  if (t.audience === 'signed_in' && !request.userId) return false;
  if (t.audience === 'anonymous' && request.userId) return false;
  if (t.devices.length && !t.devices.includes(request.device as never)) return false;
  if (t.genres.length && !title?.genres.some((g) => t.genres.includes(g))) return false;
  if (t.categories.length && !title?.categories.some((c) => t.categories.includes(c))) return false;
  if (t.audioLanguages.length && !title?.audioLanguages.some((l) => t.audioLanguages.includes(l))) return false;
  if (t.maxMaturity && title && rank(title.maturity) > rank(t.maxMaturity)) return false;
  return true;
}

/** A rough device class from the User-Agent, when the client did not say. */
export function deviceFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'desktop';
  if (/smart-?tv|tizen|web0s|webos|appletv|googletv|hbbtv|crkey|roku/i.test(ua)) return 'tv';
  if (/ipad|tablet|kindle|silk/i.test(ua) || (/android/i.test(ua) && !/mobi/i.test(ua))) return 'tablet';
  if (/mobi|iphone|ipod|android|opera mini|kaios/i.test(ua)) return 'mobile';
  return 'desktop';
}
