import type { ResponsiveImage } from '@kush/contracts';
import type { StoredImage } from '@kush/db';
import { IMAGES_PREFIX, imageVariantKey, MAX_PRESIGN_SECONDS, type ObjectStorage } from '@kush/storage';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../../context';

/** The public route that serves image variants on the local driver (and redirects on S3). */
export const PUBLIC_IMAGE_ROUTE = '/api/v1/catalog/images/';

/** Public S3 URLs are signed at the start of the current day and last 7 days (the S3/R2 maximum). */
export const PUBLIC_URL_BUCKET_MS = 24 * 3600_000;
export const PUBLIC_URL_SECONDS = MAX_PRESIGN_SECONDS;
/** Staff previews (any status, any driver) are signed for an hour. */
export const STAFF_URL_SECONDS = 3600;

export interface ImagePresenterOptions {
  /** The origin clients reach the API at (the web app's /api proxy). */
  publicBaseUrl: string;
  now?: () => Date;
}

/**
 * Turns a stored picture into the srcset-ready shape responses carry.
 *
 * Public URLs must stay valid while catalog bodies sit in the caches (LRU, Redis, CDN) and be the
 * same for every request, so caches keep hitting:
 * - local driver: `<web origin>/api/v1/catalog/images/<key without images/>`, served by the API
 *   with a year of immutable caching (the folder is named by the content hash), and only while the
 *   owner is public;
 * - S3/R2: presigned GETs straight to the bucket (no API round trip per picture on slow links),
 *   signed at the start of the current UTC day for 7 days, so a URL is the same all day and valid
 *   for at least six more; the API route answers those keys with a redirect to the same URL, for
 *   links that must never change (e.g. og:image).
 *
 * Staff previews use short-lived signed storage URLs on both drivers, since drafts are not public.
 */
export class ImagePresenter {
  private readonly signed = new LRUCache<string, string>({ max: 20_000 });
  private readonly base: string;
  private readonly now: () => Date;

  constructor(
    private readonly storage: ObjectStorage,
    options: ImagePresenterOptions,
  ) {
    this.base = options.publicBaseUrl.replace(/\/$/, '');
    this.now = options.now ?? (() => new Date());
  }

  /** For public catalog responses. */
  public(image: StoredImage | null | undefined): Promise<ResponsiveImage | null> {
    return this.present(image, (key) => this.publicUrl(key));
  }

  /** For staff screens: works whatever the owner's status, for an hour. */
  staff(image: StoredImage | null | undefined): Promise<ResponsiveImage | null> {
    return this.present(image, (key) => this.storage.presignGet(key, { expiresInSeconds: STAFF_URL_SECONDS }));
  }

  /** The stable public URL of one variant. */
  async publicUrl(key: string): Promise<string> {
    if (this.storage.driver === 'local') return `${this.base}${PUBLIC_IMAGE_ROUTE}${key.slice(IMAGES_PREFIX.length)}`;
    const now = this.now().getTime();
    const signedAt = now - (now % PUBLIC_URL_BUCKET_MS);
    const memo = `${signedAt}|${key}`;
    let url = this.signed.get(memo);
    if (!url) {
      url = await this.storage.presignGet(key, {
        expiresInSeconds: PUBLIC_URL_SECONDS,
        signedAt: new Date(signedAt),
      });
      this.signed.set(memo, url);
    }
    return url;
  }

  private async present(
    image: StoredImage | null | undefined,
    urlOf: (key: string) => Promise<string> | string,
  ): Promise<ResponsiveImage | null> {
    if (!image) return null;
    const sources = async (extension: 'avif' | 'webp' | 'jpg') =>
      Promise.all(
        image.widths.map(async (width) => ({
          width,
          url: await urlOf(imageVariantKey(image.prefix, width, extension)),
        })),
      );
    const [avif, webp, jpeg] = await Promise.all([
      image.avif ? sources('avif') : undefined,
      sources('webp'),
      sources('jpg'),
    ]);
    return {
      width: image.width,
      height: image.height,
      placeholder: image.placeholder,
      sources: { ...(avif ? { avif } : {}), webp, jpeg },
    };
  }
}

/**
 * The presenter for the app's responses (catalog, viewer lists): image URLs are absolute on the web
 * origin (its /api proxy), like playback URLs. Every module builds its presenter here, so a title's
 * picture has the same URL wherever it appears (and the caches keep hitting).
 */
export function createImagePresenter(ctx: Pick<AppContext, 'storage' | 'config'>): ImagePresenter {
  return new ImagePresenter(ctx.storage, { publicBaseUrl: ctx.config.WEB_URL });
}
