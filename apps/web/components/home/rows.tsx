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
 * The category rows and the genre links: below the fold on every screen, so the page streams
 * them after the hero and the first rows (inside a Suspense boundary) instead of holding those
 * back for the genre list.
 */
export async function CategoryRows({
  rows,
  genres,
  t,
}: {
  rows: CatalogHome['rows'];
  genres: Promise<GenreList | null>;
  t: Dictionary;
}) {
  const genreList = await genres;
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

      {genreList && genreList.items.length > 0 ? (
        <section aria-labelledby="genres-heading" className="mt-10">
          <h2 id="genres-heading" className="text-lg font-bold sm:text-xl">
            {t.genres}
          </h2>
          <ul className="mt-3 flex flex-wrap gap-2">
            {genreList.items.map((genre) => (
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
