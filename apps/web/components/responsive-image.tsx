import type { ResponsiveImage as ResponsiveImageData } from '@kush/contracts';

interface Props {
  image: ResponsiveImageData;
  alt: string;
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  sizes: string;
  /** The one above-the-fold image of a page (the hero): loaded first, never lazily. */
  priority?: boolean;
  /**
   * Draw the tiny blurred placeholder while the bytes arrive (default). It is a base64 `data:` URI
   * that does not compress and is sent twice (HTML and the RSC payload): lists turn it off for
   * cards a viewer cannot see at first, which keep the plain surface colour instead.
   */
  placeholder?: boolean;
  /**
   * Browsers without WebP (a few old phones) get one JPEG: the narrowest at least this many pixels
   * wide. Without it they get the whole JPEG srcset, which doubles the markup of every picture.
   */
  jpegWidth?: number;
  className?: string;
}

const srcset = (sources: { url: string; width: number }[]) => sources.map((s) => `${s.url} ${s.width}w`).join(', ');

/**
 * The one way pictures are drawn: AVIF where the browser takes it (the fewest bytes), then WebP,
 * JPEG otherwise; width and
 * height reserve the box (no layout shift); the tiny blurred placeholder shows until the bytes
 * arrive; below-the-fold pictures load lazily so a slow link spends itself on what is visible.
 */
export function ResponsiveImage({
  image,
  alt,
  sizes,
  priority = false,
  placeholder = true,
  jpegWidth,
  className = '',
}: Props) {
  const { avif = [], webp, jpeg } = image.sources;
  const largest = jpeg[jpeg.length - 1] ?? webp[webp.length - 1];
  const single = jpegWidth === undefined ? undefined : (jpeg.find((s) => s.width >= jpegWidth) ?? largest);
  return (
    <picture>
      {avif.length > 0 ? <source type="image/avif" srcSet={srcset(avif)} sizes={sizes} /> : null}
      {webp.length > 0 ? <source type="image/webp" srcSet={srcset(webp)} sizes={sizes} /> : null}
      <img
        src={(single ?? largest)?.url}
        srcSet={single === undefined && jpeg.length > 0 ? srcset(jpeg) : undefined}
        sizes={single === undefined ? sizes : undefined}
        width={image.width}
        height={image.height}
        alt={alt}
        loading={priority ? 'eager' : 'lazy'}
        fetchPriority={priority ? 'high' : undefined}
        decoding={priority ? 'sync' : 'async'}
        className={`bg-surface bg-cover bg-center ${className}`}
        style={placeholder ? { backgroundImage: `url("${image.placeholder}")` } : undefined}
      />
    </picture>
  );
}
