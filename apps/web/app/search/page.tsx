import type { SearchResults } from '@/lib/types';
import { MATURITY_RATING_VALUES } from '@kush/contracts';
import type { Metadata } from 'next';
import { queryOf } from '@/components/browse';
import { SearchBox } from '@/components/search-box';
import { TitleCard, TitleGrid } from '@/components/title-card';
import { fill } from '@/lib/i18n/locales';
import { getDictionary } from '@/lib/i18n/server';
import { one } from '@/lib/links';
import { catalogApi } from '@/lib/session';

export const dynamic = 'force-dynamic';

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const q = one((await searchParams).q)?.trim();
  return { title: q ? `“${q}”` : 'Search' };
}

export default async function SearchPage({ searchParams }: Props) {
  const search = await searchParams;
  const q = one(search.q)?.trim().slice(0, 100) ?? '';
  const maturity = one(search.maturity);
  const validMaturity = MATURITY_RATING_VALUES.find((m) => m === maturity);
  const cursor = one(search.cursor);
  const { t } = await getDictionary();
  const params = { q, maturity: validMaturity, cursor };
  const results = q
    ? await catalogApi<SearchResults>(`/api/v1/catalog/search${queryOf(params)}`, `/search${queryOf(params)}`)
    : null;

  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.searchHeading}</h1>
      <div className="mt-4 max-w-xl">
        <SearchBox id="search-page-box" t={t} initial={q} />
      </div>
      <form method="get" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
        <input type="hidden" name="q" value={q} />
        <label className="flex flex-col gap-1">
          {t.filterMaturity}
          <select
            name="maturity"
            defaultValue={validMaturity ?? ''}
            className="min-h-11 rounded-md border border-line bg-surface px-2 text-fg"
          >
            <option value="">{t.filterAny}</option>
            {MATURITY_RATING_VALUES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="min-h-11 rounded-md border border-line px-4 font-semibold hover:border-gold">
          {t.apply}
        </button>
      </form>

      {!q ? <p className="mt-8 text-muted">{t.searchPrompt}</p> : null}
      {q && results ? (
        <section aria-labelledby="results-heading" className="mt-8">
          <h2 id="results-heading" className="text-xl font-bold">
            {fill(t.searchResultsFor, { q })}
          </h2>
          {results.people.length > 0 ? (
            <>
              <h3 className="mt-4 text-sm font-semibold tracking-widest text-muted uppercase">{t.people}</h3>
              <ul className="mt-2 flex flex-wrap gap-2">
                {results.people.map((person) => (
                  <li key={person.id}>
                    <a
                      href={`/person/${person.slug}`}
                      className="inline-flex min-h-11 items-center rounded-full border border-line px-4 hover:border-gold"
                    >
                      {person.name}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {results.items.length > 0 ? (
            <TitleGrid>
              {results.items.map((title) => (
                <TitleCard key={title.id} title={title} t={t} />
              ))}
            </TitleGrid>
          ) : (
            <p className="mt-4 text-muted">{fill(t.searchNoResults, { q })}</p>
          )}
          {results.nextCursor ? (
            <div className="mt-8 text-center">
              <a
                href={queryOf({ ...params, cursor: results.nextCursor })}
                rel="next"
                className="inline-flex min-h-11 items-center rounded-md border border-line px-6 font-semibold hover:border-gold"
              >
                {t.loadMore}
              </a>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
