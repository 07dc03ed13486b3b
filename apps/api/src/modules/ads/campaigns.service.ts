import {
  AD_MAX_SECONDS,
  AD_MIN_SECONDS,
  AppError,
  BANNER_MAX_BYTES,
  type Campaign,
  type CreateBannerCreativeBody,
  type CreateCampaignBody,
  type CreateVideoCreativeBody,
  type UpdateCampaignBody,
  type UpdateCreativeBody,
} from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import { inspectImage, isImageRefusedError } from '@kush/media';
import { type ObjectStorage, readObject } from '@kush/storage';
import type { z } from 'zod';
import { decodeAfter, toPage } from '../../lib/cursor';
import type { UploadsService } from '../videos';
import * as repo from './ads.repository';

const UPLOAD_SECONDS = 3600;
const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

/** The impressions a budget buys: counters never let delivery pass this. */
export function maxImpressionsOf(c: Pick<repo.CampaignRow, 'budgetKind' | 'budgetAmount' | 'cpm'>): number {
  return c.budgetKind === 'impressions' ? c.budgetAmount : Math.floor((c.budgetAmount * 1000) / c.cpm);
}

export function toCampaign(row: repo.CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    advertiser: row.advertiser,
    status: row.status,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    budget: { kind: row.budgetKind, amount: row.budgetAmount, currency: row.currency },
    cpm: row.cpm,
    maxImpressions: maxImpressionsOf(row),
    pacing: row.pacing,
    priority: row.priority,
    targeting: row.targeting as Campaign['targeting'],
    frequencyCaps: row.frequencyCaps,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toCreative(row: repo.CreativeRow, imageUrl: string | null = null) {
  return {
    id: row.id,
    campaignId: row.campaignId,
    kind: row.kind,
    name: row.name,
    status: row.status,
    clickUrl: row.clickUrl,
    videoId: row.videoId,
    durationSeconds: row.durationSeconds,
    skipAfterSeconds: row.skipAfterSeconds,
    bannerSize: row.bannerSize as '300x250' | '320x50' | '728x90' | null,
    imageUrl,
    createdAt: row.createdAt.toISOString(),
  };
}

const bannerKey = (creativeId: string) => `ads/banners/${creativeId}/image`;
/** How long a console preview of a banner stays valid. */
const PREVIEW_SECONDS = 3600;

/** Campaign and creative management for the console (permission ads:manage). */
export class CampaignsService {
  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly uploads: UploadsService,
    /** Called after every change that can alter what is served. */
    private readonly changed: () => void,
  ) {}

  async create(input: z.infer<typeof CreateCampaignBody>, actorId: string) {
    const row = await repo.insertCampaign(this.db, {
      id: uuidv7(),
      name: input.name,
      advertiser: input.advertiser,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      budgetKind: input.budget.kind,
      budgetAmount: input.budget.amount,
      currency: 'UGX',
      cpm: input.cpm,
      pacing: input.pacing,
      priority: input.priority,
      targeting: input.targeting,
      frequencyCaps: input.frequencyCaps,
      createdBy: actorId,
    });
    this.changed();
    return toCampaign(row);
  }

  async update(id: string, input: z.infer<typeof UpdateCampaignBody>) {
    const current = await this.campaign(id);
    const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
    if (endsAt <= startsAt) {
      throw new AppError('VALIDATION_FAILED', 'The campaign must end after it starts.', [
        { in: 'body', path: 'endsAt', message: 'must be after startsAt' },
      ]);
    }
    const row = await repo.updateCampaign(this.db, id, {
      name: input.name,
      advertiser: input.advertiser,
      startsAt,
      endsAt,
      ...(input.budget ? { budgetKind: input.budget.kind, budgetAmount: input.budget.amount } : {}),
      cpm: input.cpm,
      pacing: input.pacing,
      priority: input.priority,
      targeting: input.targeting,
      frequencyCaps: input.frequencyCaps,
      status: input.status,
    });
    this.changed();
    return toCampaign(row!);
  }

  async get(id: string) {
    return toCampaign(await this.campaign(id));
  }

  async list(query: { status?: repo.CampaignRow['status']; cursor?: string; limit: number }) {
    const rows = await repo.listCampaigns(this.db, {
      status: query.status,
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, toCampaign, (r) => r);
  }

  async listCreatives(campaignId: string) {
    await this.campaign(campaignId);
    const rows = await repo.listCreatives(this.db, campaignId);
    return { items: await Promise.all(rows.map((row) => this.present(row))) };
  }

  async createVideoCreative(campaignId: string, input: z.infer<typeof CreateVideoCreativeBody>) {
    await this.campaign(campaignId);
    const video = await repo.findAdVideo(this.db, input.videoId);
    if (!video || video.purpose !== 'ad') throw new AppError('NOT_FOUND', 'No such ad video.');
    if (video.status !== 'ready') {
      throw new AppError('CONFLICT', `The video is ${video.status}; wait until it is ready.`);
    }
    const duration = video.durationSeconds ?? 0;
    if (duration < AD_MIN_SECONDS - 0.5 || duration > AD_MAX_SECONDS + 0.5) {
      throw new AppError(
        'VALIDATION_FAILED',
        `A pre-roll must last ${AD_MIN_SECONDS} to ${AD_MAX_SECONDS} seconds; this video lasts ${duration.toFixed(1)}.`,
        [{ in: 'body', path: 'videoId', message: 'video duration out of range' }],
      );
    }
    if (input.skipAfterSeconds !== null && input.skipAfterSeconds >= duration) {
      throw new AppError('VALIDATION_FAILED', 'The skip button must appear before the ad ends.', [
        { in: 'body', path: 'skipAfterSeconds', message: 'must be less than the video duration' },
      ]);
    }
    const row = await repo.insertCreative(this.db, {
      id: uuidv7(),
      campaignId,
      kind: 'video',
      name: input.name,
      status: 'active',
      clickUrl: input.clickUrl,
      videoId: video.id,
      skipAfterSeconds: input.skipAfterSeconds,
      durationSeconds: Math.round(duration),
    });
    this.changed();
    return { creative: toCreative(row), upload: null };
  }

  /** A banner starts pending: the image goes straight to storage, then completeBanner checks it. */
  async createBannerCreative(campaignId: string, input: z.infer<typeof CreateBannerCreativeBody>) {
    await this.campaign(campaignId);
    const id = uuidv7();
    const key = bannerKey(id);
    const upload = await this.bannerUpload(key, input);
    const row = await repo.insertCreative(this.db, {
      id,
      campaignId,
      kind: 'banner',
      name: input.name,
      status: 'pending',
      clickUrl: input.clickUrl,
      bannerSize: input.size,
      imageKey: key,
      imageContentType: input.contentType,
    });
    return { creative: toCreative(row), upload };
  }

  /** Another upload for a banner still waiting for its picture (a refused one is deleted on refusal). */
  async replaceBannerUpload(
    campaignId: string,
    creativeId: string,
    input: { contentType: z.infer<typeof CreateBannerCreativeBody>['contentType']; contentLength: number },
  ) {
    const creative = await this.creative(campaignId, creativeId);
    if (creative.kind !== 'banner' || !creative.imageKey)
      throw new AppError('CONFLICT', 'This creative is not a banner.');
    if (creative.status !== 'pending') {
      throw new AppError('CONFLICT', 'This banner already has its picture; add a new banner to change it.');
    }
    const upload = await this.bannerUpload(creative.imageKey, input);
    const row = await repo.updateCreative(this.db, campaignId, creativeId, { imageContentType: input.contentType });
    return { creative: toCreative(row!), upload };
  }

  /** Removes a creative that never served (a banner without its picture); served ones are paused instead. */
  async deleteCreative(campaignId: string, creativeId: string) {
    const creative = await this.creative(campaignId, creativeId);
    // Checked in the delete itself: a picture completed meanwhile makes it live, and it stays.
    if (!(await repo.deletePendingCreative(this.db, campaignId, creativeId))) {
      throw new AppError(
        'CONFLICT',
        'This creative has been live, so its delivery stays in the reports: pause it instead.',
      );
    }
    if (creative.imageKey) await this.storage.delete(creative.imageKey);
    this.changed();
  }

  private async bannerUpload(key: string, input: { contentType: string; contentLength: number }) {
    const target = await this.storage.presignPut(key, {
      expiresInSeconds: UPLOAD_SECONDS,
      contentType: input.contentType,
      contentLength: input.contentLength,
    });
    return {
      url: target.url,
      method: 'PUT' as const,
      headers: target.headers,
      expiresAt: target.expiresAt.toISOString(),
    };
  }

  /** A creative as the console shows it: banners with a preview of their picture. */
  private async present(row: repo.CreativeRow) {
    const previewable = row.kind === 'banner' && row.imageKey && row.status !== 'pending';
    const imageUrl = previewable
      ? await this.storage.presignGet(row.imageKey!, { expiresInSeconds: PREVIEW_SECONDS })
      : null;
    return toCreative(row, imageUrl);
  }

  /** Checks the uploaded picture is a complete image of the declared type and exactly the banner's size. */
  async completeBanner(campaignId: string, creativeId: string) {
    const creative = await this.creative(campaignId, creativeId);
    if (creative.kind !== 'banner' || !creative.imageKey)
      throw new AppError('CONFLICT', 'This creative is not a banner.');
    if (creative.status !== 'pending') throw new AppError('CONFLICT', 'This banner is already complete.');
    const head = await this.storage.head(creative.imageKey);
    if (!head) throw new AppError('CONFLICT', 'The image has not been uploaded yet.');
    if (head.size > BANNER_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'Banner images can be at most 300 KB.');
    const bytes = await readObject(this.storage, creative.imageKey);
    const [width, height] = creative.bannerSize!.split('x').map(Number);
    let problem: string | undefined;
    try {
      const info = inspectImage(bytes);
      if (IMAGE_FORMATS[creative.imageContentType ?? ''] !== info.format)
        problem = `The file is a ${info.format} image.`;
      else if (info.width !== width || info.height !== height)
        problem = `The image is ${info.width}×${info.height}; a ${creative.bannerSize} banner must be exactly ${width}×${height}.`;
    } catch (err) {
      if (!isImageRefusedError(err)) throw err;
      problem = err.message;
    }
    if (problem) {
      await this.storage.delete(creative.imageKey);
      throw new AppError('VALIDATION_FAILED', problem, [{ in: 'body', path: 'image', message: problem }]);
    }
    const row = await repo.updateCreative(this.db, campaignId, creativeId, { status: 'active' });
    this.changed();
    return this.present(row!);
  }

  async updateCreative(campaignId: string, creativeId: string, input: z.infer<typeof UpdateCreativeBody>) {
    const creative = await this.creative(campaignId, creativeId);
    if (input.status && creative.status === 'pending') {
      throw new AppError('CONFLICT', 'Upload the banner image before changing its status.');
    }
    if (input.skipAfterSeconds !== undefined && input.skipAfterSeconds !== null) {
      if (creative.kind !== 'video') throw new AppError('CONFLICT', 'Only video ads can be skippable.');
      if (input.skipAfterSeconds >= (creative.durationSeconds ?? 0)) {
        throw new AppError('VALIDATION_FAILED', 'The skip button must appear before the ad ends.', [
          { in: 'body', path: 'skipAfterSeconds', message: 'must be less than the video duration' },
        ]);
      }
    }
    const row = await repo.updateCreative(this.db, campaignId, creativeId, {
      name: input.name,
      clickUrl: input.clickUrl,
      status: input.status,
      skipAfterSeconds: input.skipAfterSeconds,
    });
    this.changed();
    return this.present(row!);
  }

  startVideoUpload(input: { filename: string; contentType: string; size: number }, actorId: string) {
    return this.uploads.create({ ...input, contentType: input.contentType as never, purpose: 'ad' }, actorId);
  }

  async videoPartUrls(videoId: string, partNumbers: number[]) {
    await this.adVideo(videoId);
    return this.uploads.partUrls(videoId, partNumbers);
  }

  async storedVideoParts(videoId: string) {
    await this.adVideo(videoId);
    return this.uploads.storedParts(videoId);
  }

  async completeVideoUpload(videoId: string) {
    await this.adVideo(videoId);
    return this.uploads.complete(videoId);
  }

  async getVideo(videoId: string) {
    await this.adVideo(videoId);
    return this.uploads.get(videoId);
  }

  private async adVideo(videoId: string) {
    const video = await repo.findAdVideo(this.db, videoId);
    if (!video || video.purpose !== 'ad') throw new AppError('NOT_FOUND', 'No such ad video.');
    return video;
  }

  private async campaign(id: string) {
    const row = await repo.findCampaign(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such campaign.');
    return row;
  }

  private async creative(campaignId: string, creativeId: string) {
    const row = await repo.findCreative(this.db, creativeId);
    if (!row || row.campaignId !== campaignId) throw new AppError('NOT_FOUND', 'No such creative.');
    return row;
  }
}
