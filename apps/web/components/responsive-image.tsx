import type { ResponsiveImage as ResponsiveImageData } from '@kush/contracts';

interface Props {
  image: ResponsiveImageData;
  alt: string;
  /** The `sizes` attribute: how wide the image is drawn at each viewport width. */
  sizes: string;
  /**
   * The one above-the-fold image of a page (the hero): loaded first, never lazily. Still decoded
   * off the frame (`decoding="async"`, like every picture): when its bytes arrive before the first
   * paint, a synchronous decode would hold the header and the text back until the picture is
   * decoded; the placeholder covers the box meanwhile.
   */
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
  /**
   * The widest picture the slot can use: wider sources are left out of the srcsets (a card drawn
   * 176 px wide needs no 720 px picture on any phone), which keeps every card's markup — sent
   * twice, see `placeholder` — a quarter smaller.
   */
  maxWidth?: number;
  className?: string;
}

/** The sources no wider than `max`, or the narrowest one when all are wider. */
function upTo<T extends { width: number }>(sources: T[], max: number): T[] {
  const fitting = sources.filter((s) => s.width <= max);
  return fitting.length > 0 ? fitting : sources.slice(0, 1);
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
  maxWidth,
  className = '',
}: Props) {
  const fits = (sources: { url: string; width: number }[] = []) =>
    maxWidth === undefined ? sources : upTo(sources, maxWidth);
  const [avif, webp, jpeg] = [fits(image.sources.avif), fits(image.sources.webp), fits(image.sources.jpeg)];
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
        decoding="async"
        className={`bg-surface bg-cover bg-center ${className}`}
        style={placeholder ? { backgroundImage: `url("${image.placeholder}")` } : undefined}
      />
    </picture>
  );
}
