import { z } from 'zod';

/**
 * Pictures as responses carry them. Their own file, because both the catalog and the viewer
 * contracts use them and viewer.ts ↔ catalog.ts would otherwise import each other.
 */

/** One encoding of a picture at one width. */
export const ImageSource = z.object({ width: z.number().int(), url: z.string() }).meta({ id: 'ImageSource' });

/**
 * A picture ready for `<picture>`: `<source type="image/avif" srcset>` from `sources.avif` (when
 * present: about a third of WebP's bytes), then `<source type="image/webp" srcset>` from `sources.webp`, an
 * `<img srcset>` from `sources.jpeg` (every browser decodes JPEG), `width`/`height` on the `<img>`
 * so the box is reserved before anything loads, and `placeholder` (a tiny blurred WebP `data:` URI)
 * as its background meanwhile. Widths ascend and are never upscaled; srcset entries are
 * `${url} ${width}w`. URLs are absolute, stable and may be cached for a long time.
 */
export const ResponsiveImage = z
  .object({
    width: z.number().int().describe('width of the largest source, in pixels'),
    height: z.number().int().describe('height of the largest source, in pixels'),
    placeholder: z.string().describe('a tiny blurred WebP as a data: URI (a few hundred bytes)'),
    sources: z.object({
      avif: z.array(ImageSource).optional().describe('absent for pictures rendered before AVIF'),
      webp: z.array(ImageSource),
      jpeg: z.array(ImageSource),
    }),
  })
  .meta({ id: 'ResponsiveImage' });
export type ResponsiveImage = z.infer<typeof ResponsiveImage>;
