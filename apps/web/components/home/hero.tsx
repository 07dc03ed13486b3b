import type { CatalogHome } from '@kush/contracts';
import type { Dictionary } from '@/lib/i18n/en';
import { ResponsiveImage } from '@/components/responsive-image';
import { TierBadge } from '@/components/title-card';
import { watchHref } from '@/lib/links';

/** 16:9 across the page: the screen's width on a phone, the 72rem column from there up. */
export const HERO_SIZES = '(min-width: 1152px) 1152px, 100vw';

/** The featured title at the top of the home page; its backdrop is the page's largest paint. */
export function Hero({ hero, t }: { hero: CatalogHome['featured'][number]; t: Dictionary }) {
  return (
    <section
      aria-labelledby="hero-title"
      className="relative -mx-4 -mt-6 overflow-hidden sm:mx-0 sm:mt-0 sm:rounded-xl"
      data-testid="hero"
    >
      {hero.backdrop ? (
        <ResponsiveImage
          image={hero.backdrop}
          alt=""
          sizes={HERO_SIZES}
          priority
          className="aspect-video max-h-[70vh] w-full object-cover"
        />
      ) : (
        <div className="aspect-video w-full bg-surface-raised" />
      )}
      <div className="absolute inset-0 bg-gradient-to-t from-ink via-ink/60 to-transparent" />
      <div className="absolute inset-x-0 bottom-0 p-4 sm:p-8">
        <div className="flex items-center gap-2 text-sm text-fg/90">
          <TierBadge tier={hero.accessTier} t={t} />
          {hero.year ? <span>{hero.year}</span> : null}
          <span className="rounded border border-fg/40 px-1 text-xs">{hero.maturityRating}</span>
        </div>
        <h2 id="hero-title" className="mt-2 text-2xl font-black tracking-tight sm:text-4xl">
          {hero.name}
        </h2>
        <p className="mt-2 line-clamp-2 max-w-prose text-sm text-fg/90 sm:line-clamp-3 sm:text-base">{hero.synopsis}</p>
        <div className="mt-4 flex gap-3">
          <a
            href={watchHref(hero.slug)}
            className="inline-flex min-h-11 items-center rounded-md bg-gold px-5 font-semibold text-ink hover:bg-gold/90"
          >
            ▶ {t.heroPlay}
          </a>
          <a
            href={`/title/${hero.slug}`}
            className="inline-flex min-h-11 items-center rounded-md border border-fg/40 bg-ink/60 px-5 font-semibold hover:border-gold"
          >
            {t.heroMore}
          </a>
        </div>
      </div>
    </section>
  );
}
