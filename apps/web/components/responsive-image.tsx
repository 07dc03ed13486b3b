import type { ResponsiveImage as ResponsiveImageData } from '@kush/contracts';

interface Props {
  image: ResponsiveImageData;
  alt: string;
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  sizes: string;
  /** The one above-the-fold image of a page (the hero): loaded first, never lazily. */
  priority?: boolean;
  className?: string;
}

const srcset = (sources: { url: string; width: number }[]) => sources.map((s) => `${s.url} ${s.width}w`).join(', ');

/**
 * The one way pictures are drawn: WebP where the browser takes it, JPEG otherwise; width and
 * height reserve the box (no layout shift); the tiny blurred placeholder shows until the bytes
 * arrive; below-the-fold pictures load lazily so a slow link spends itself on what is visible.
 */
export function ResponsiveImage({ image, alt, sizes, priority = false, className = '' }: Props) {
  const jpeg = image.sources.jpeg;
  const fallback = jpeg[jpeg.length - 1] ?? image.sources.webp[image.sources.webp.length - 1];
  return (
    <picture>
      {image.sources.webp.length > 0 ? (
        <source type="image/webp" srcSet={srcset(image.sources.webp)} sizes={sizes} />
      ) : null}
      <img
        src={fallback?.url}
        srcSet={jpeg.length > 0 ? srcset(jpeg) : undefined}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={alt}
        loading={priority ? 'eager' : 'lazy'}
        fetchPriority={priority ? 'high' : 'auto'}
        decoding={priority ? 'sync' : 'async'}
        className={`bg-surface bg-cover bg-center ${className}`}
        style={{ backgroundImage: `url("${image.placeholder}")` }}
      />
    </picture>
  );
}
