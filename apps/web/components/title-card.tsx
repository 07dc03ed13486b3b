import type { ResponsiveImage as ResponsiveImageData, TitleCard as TitleCardData } from '@kush/contracts';
import type { ReactNode } from 'react';
import type { Dictionary } from '@/lib/i18n/en';
import { ResponsiveImage } from './responsive-image';

/** What a card needs: catalog cards and the viewer lists' titles (My List, history) both fit. */
export type CardTitle = Pick<TitleCardData, 'slug' | 'name' | 'year' | 'accessTier' | 'kind'> & {
  poster?: ResponsiveImageData | null;
};

/** Cards are ~9rem wide on phones, ~11rem from sm up. */
const CARD_SIZES = '(min-width: 640px) 176px, 144px';
/** The one JPEG for browsers without WebP: a card at two device pixels per CSS pixel. */
const CARD_JPEG_WIDTH = 320;
/** The widest card picture: 176 px at up to 2.7 device pixels per px. */
const CARD_MAX_WIDTH = 480;

export function TierBadge({ tier, t }: { tier: CardTitle['accessTier']; t: Pick<Dictionary, 'free' | 'premium'> }) {
  return tier === 'premium' ? (
    <span className="rounded bg-gold px-1.5 py-0.5 text-xs font-semibold text-ink">{t.premium}</span>
  ) : (
    <span className="rounded border border-line bg-ink/80 px-1.5 py-0.5 text-xs font-semibold text-fg">{t.free}</span>
  );
}

export function TitleCard({
  title,
  t,
  footer,
  href,
  placeholder = true,
}: {
  title: CardTitle;
  t: Pick<Dictionary, 'free' | 'premium'>;
  footer?: ReactNode;
  href?: string;
  /** The blurred placeholder behind the poster; off for cards that start off screen (see ResponsiveImage). */
  placeholder?: boolean;
}) {
  return (
    <div className="w-36 shrink-0 sm:w-44" data-title-card={title.slug}>
      <a href={href ?? `/title/${title.slug}`} className="group block rounded-lg">
        <div className="relative aspect-[2/3] overflow-hidden rounded-lg border border-line bg-surface-raised">
          {title.poster ? (
            <ResponsiveImage
              image={title.poster}
              alt=""
              sizes={CARD_SIZES}
              jpegWidth={CARD_JPEG_WIDTH}
              maxWidth={CARD_MAX_WIDTH}
              placeholder={placeholder}
              className="h-full w-full object-cover transition-transform group-hover:scale-105"
            />
          ) : (
            <span className="flex h-full items-center justify-center p-3 text-center text-sm font-semibold text-muted">
              {title.name}
            </span>
          )}
          <span className="absolute top-2 left-2">
            <TierBadge tier={title.accessTier} t={t} />
          </span>
        </div>
        <p className="mt-2 line-clamp-2 text-sm font-semibold group-hover:text-gold">{title.name}</p>
        {title.year ? <p className="text-xs text-muted">{title.year}</p> : null}
      </a>
      {footer}
    </div>
  );
}

/** A row that scrolls sideways by touch, wheel or keyboard (it is focusable), snapping to cards. */
export function TitleRow({
  heading,
  id,
  children,
  moreHref,
  moreLabel,
  moreTile = false,
}: {
  heading: string;
  id: string;
  children: ReactNode;
  moreHref?: string;
  moreLabel?: string;
  /** Also end the row with a card-sized link to the whole list (rows that show only its start). */
  moreTile?: boolean;
}) {
  return (
    <section aria-labelledby={id} className="render-lazy mt-8">
      <div className="flex items-baseline justify-between gap-4">
        <h2 id={id} className="text-lg font-semibold sm:text-xl">
          {heading}
        </h2>
        {moreHref ? (
          <a href={moreHref} className="text-sm text-gold underline-offset-4 hover:underline">
            {moreLabel}
          </a>
        ) : null}
      </div>
      <div
        tabIndex={0}
        role="region"
        aria-labelledby={id}
        className="-mx-4 mt-3 flex snap-x gap-3 overflow-x-auto scroll-px-4 px-4 pb-3 sm:gap-4 [&>*]:snap-start"
      >
        {children}
        {moreTile && moreHref ? (
          <a
            href={moreHref}
            className="flex aspect-[2/3] w-36 shrink-0 items-center justify-center rounded-lg border border-line bg-surface p-3 text-center font-semibold text-gold hover:border-gold sm:w-44"
          >
            {moreLabel} <span aria-hidden="true">→</span>
          </a>
        ) : null}
      </div>
    </section>
  );
}

/** A wrapping grid of cards for category, genre, search and list pages. */
export function TitleGrid({ children }: { children: ReactNode }) {
  return (
    <div className="mt-6 grid grid-cols-2 gap-x-3 gap-y-6 min-[480px]:grid-cols-3 sm:grid-cols-4 lg:grid-cols-6 [&>*]:w-full">
      {children}
    </div>
  );
}
