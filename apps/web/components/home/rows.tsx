import type { CatalogHome } from '@kush/contracts';
import type { CardTitle } from '@/components/title-card';
import type { Dictionary } from '@/lib/i18n/en';
import type { GenreList } from '@/lib/types';
import { TitleCard, TitleRow } from '@/components/title-card';

/**
 * Cards a home row draws: more than the widest layout shows at once (6½ at 72rem), so every row
 * still scrolls sideways, while the page stays small on a slow phone (a phone shows 2½). Each card
 * is rendered on the server for every view and its markup sent twice (HTML and the RSC payload):
 * the home page's render time and size grow with the card count, so the rest of a category is one
 * "See all" away.
 */
export const ROW_CARDS = 8;
/** Cards per row that keep the blurred placeholder: what a phone shows before scrolling sideways. */
const PLACEHOLDER_CARDS = 3;
/** Empty frames in a row that is still to come: as many as the widest layout shows. */
const SKELETON_CARDS = 7;

export function CardRow({
  heading,
  id,
  titles,
  t,
  moreHref,
}: {
  heading: string;
  id: string;
  titles: (CardTitle & { id: string })[];
  t: Dictionary;
  moreHref?: string;
}) {
  return (
    <TitleRow heading={heading} id={id} moreHref={moreHref} moreLabel={t.seeAll} moreTile={titles.length > ROW_CARDS}>
      {titles.slice(0, ROW_CARDS).map((title, index) => (
        <TitleCard key={title.id} title={title} t={t} placeholder={index < PLACEHOLDER_CARDS} />
      ))}
    </TitleRow>
  );
}

/**
 * Category rows the home page renders on the server. None: the hero, Continue watching, My List,
 * Trending and New releases already fill the first screen of a phone and of a desktop. The
 * category rows and the genre links come when the viewer scrolls towards them (more-rows.tsx), so
 * the page's HTML, its server render and the browser's work before the first paint stay small (on
 * the throttled bench: home 28.8 → 21.1 kB of HTML), and a viewer who never scrolls spends no
 * data on them.
 */
export const SERVER_CATEGORY_ROWS = 0;

/** Category rows, and the genre links when given. */
export function CategoryRows({
  rows,
  genres,
  t,
}: {
  rows: CatalogHome['rows'];
  genres?: GenreList | null;
  t: Dictionary;
}) {
  return (
    <>
      {rows.map((row) =>
        row.titles.length > 0 ? (
          <CardRow
            key={row.category.id}
            heading={row.category.name}
            id={`row-${row.category.slug}`}
            titles={row.titles}
            t={t}
            moreHref={`/category/${row.category.slug}`}
          />
        ) : null,
      )}

      {genres && genres.items.length > 0 ? (
        <section aria-labelledby="genres-heading" className="mt-10">
          <h2 id="genres-heading" className="text-lg font-semibold sm:text-xl">
            {t.genres}
          </h2>
          <ul className="mt-3 flex flex-wrap gap-2">
            {genres.items.map((genre) => (
              <li key={genre.id}>
                <a
                  href={`/genre/${genre.slug}`}
                  className="inline-flex min-h-11 items-center rounded-full border border-line px-4 text-sm hover:border-gold hover:text-gold"
                >
                  {genre.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/**
 * Where a row that is not loaded yet goes: its heading and "See all" link (so it works without
 * JavaScript) over empty poster frames of the real cards' size, so nothing moves down when it
 * arrives. Always 7 frames (the page knows only the rows' names, not how many cards each holds);
 * a frame is one element: the skeletons are a fair share of the home page's elements, which the
 * browser parses and styles before its first paint.
 */
export function RowSkeleton({ category, t }: { category: CatalogHome['rows'][number]['category']; t: Dictionary }) {
  return (
    <TitleRow
      heading={category.name}
      id={`row-${category.slug}`}
      moreHref={`/category/${category.slug}`}
      moreLabel={t.seeAll}
    >
      {Array.from({ length: SKELETON_CARDS }, (_, frame) => (
        // One element per frame: the poster's, with room below for the name and year (mb-10).
        <div
          key={frame}
          aria-hidden="true"
          className="mb-10 aspect-[2/3] w-36 shrink-0 rounded-lg border border-line bg-surface sm:w-44"
        />
      ))}
    </TitleRow>
  );
}
