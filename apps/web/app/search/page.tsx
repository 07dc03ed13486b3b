import type { GenreList, LanguageList, SearchResults } from '@/lib/types';
import type { Metadata } from 'next';
import { BrowseFilters, browseParamsFrom, queryOf } from '@/components/browse';
import { ApiError } from '@/lib/api/server';
import { SearchBox } from '@/components/search-box';
import { TitleCard, TitleGrid } from '@/components/title-card';
import { fill } from '@/lib/i18n/locales';
import { getDictionary, pick } from '@/lib/i18n/server';
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
  // Results come in relevance order: the listing filters apply, a sort does not.
  const { sort: _, cursor, ...filters } = browseParamsFrom(search);
  const { t } = await getDictionary();
  const params = { q, ...filters, cursor };
  const here = `/search${queryOf(params)}`;
  const [genres, languages] = await Promise.all([
    catalogApi<GenreList>('/api/v1/catalog/genres', here),
    catalogApi<LanguageList>('/api/v1/catalog/languages', here),
  ]);
  let results: SearchResults | null = null;
  let invalid = false;
  if (q) {
    try {
      results = await catalogApi<SearchResults>(`/api/v1/catalog/search${queryOf(params)}`, here);
    } catch (error) {
      // Filters typed by hand (years upside down, a stale cursor) get an empty page, not an error page.
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      invalid = true;
    }
  }

  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.searchHeading}</h1>
      <div className="mt-4 max-w-xl">
        <SearchBox
          id="search-page-box"
          t={pick(t, ['searchLabel', 'searchPlaceholder', 'searchButton', 'suggestions'])}
          initial={q}
        />
      </div>
      <BrowseFilters
        t={t}
        params={filters}
        genres={genres?.items ?? []}
        languages={languages?.items ?? []}
        keep={q ? { q } : {}}
        sortable={false}
      />

      {!q ? <p className="mt-8 text-muted">{t.searchPrompt}</p> : null}
      {q && invalid ? <p className="mt-8 text-muted">{fill(t.searchNoResults, { q })}</p> : null}
      {q && results ? (
        <section aria-labelledby="results-heading" className="mt-8">
          <h2 id="results-heading" className="text-xl font-semibold">
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
