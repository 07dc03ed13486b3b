import type { TitleCard as TitleCardData } from '@kush/contracts';
import type { Genre, Language } from '@/lib/types';
import { CATALOG_SORTS, MATURITY_RATING_VALUES } from '@kush/contracts';
import type { Dictionary } from '@/lib/i18n/en';
import { TitleCard, TitleGrid } from './title-card';

/** The filters and sort a category or genre page accepts, as URL parameters. */
export const BROWSE_PARAMS = [
  'genre',
  'audio',
  'yearFrom',
  'yearTo',
  'tier',
  'maturity',
  'runtimeMax',
  'sort',
  'cursor',
] as const;
export type BrowseParams = Partial<Record<(typeof BROWSE_PARAMS)[number], string>>;

/** Keeps only known, non-empty parameters (the API answers 400 to anything else). */
export function browseParamsFrom(search: Record<string, string | string[] | undefined>): BrowseParams {
  const out: BrowseParams = {};
  for (const key of BROWSE_PARAMS) {
    const raw = search[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** `?a=1&b=2` from the defined, non-empty values; '' when there are none. */
export function queryOf(
  params: Record<string, string | undefined>,
  extra: Record<string, string | undefined> = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...params, ...extra })) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

const SORT_LABEL = {
  popular: 'sortPopular',
  newest: 'sortNewest',
  rating: 'sortRating',
  az: 'sortAz',
} as const satisfies Record<(typeof CATALOG_SORTS)[number], keyof Dictionary>;

const field = 'flex flex-col gap-1 text-sm';
const control = 'min-h-11 rounded-md border border-line bg-surface px-2 text-fg';

/** A plain GET form: filtering and sorting work without JavaScript. */
export function BrowseFilters({
  t,
  params,
  genres,
  languages,
  keep = {},
  sortable = true,
}: {
  t: Dictionary;
  params: BrowseParams;
  /** Omitted on a genre's own page. */
  genres?: Genre[];
  languages: Language[];
  /** Parameters the form carries along unchanged (the search words). */
  keep?: Record<string, string>;
  /** Search results come in relevance order: no sort there. */
  sortable?: boolean;
}) {
  return (
    <details className="mt-4 rounded-lg border border-line bg-surface" open={Object.keys(params).length > 0}>
      <summary className="flex min-h-11 cursor-pointer items-center px-4 font-semibold">{t.filters}</summary>
      <form method="get" className="grid grid-cols-2 gap-3 p-4 pt-0 sm:grid-cols-4">
        {Object.entries(keep).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {genres ? (
          <label className={field}>
            {t.filterGenre}
            <select name="genre" defaultValue={params.genre ?? ''} className={control}>
              <option value="">{t.filterAny}</option>
              {genres.map((g) => (
                <option key={g.id} value={g.slug}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className={field}>
          {t.filterAudio}
          <select name="audio" defaultValue={params.audio ?? ''} className={control}>
            <option value="">{t.filterAny}</option>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.nativeName}
              </option>
            ))}
          </select>
        </label>
        <NumberFilter label={t.filterYearFrom} name="yearFrom" min={1888} max={2100} value={params.yearFrom} />
        <NumberFilter label={t.filterYearTo} name="yearTo" min={1888} max={2100} value={params.yearTo} />
        <label className={field}>
          {t.filterTier}
          <select name="tier" defaultValue={params.tier ?? ''} className={control}>
            <option value="">{t.filterAny}</option>
            <option value="free">{t.free}</option>
            <option value="premium">{t.premium}</option>
          </select>
        </label>
        <label className={field}>
          {t.filterMaturity}
          <select name="maturity" defaultValue={params.maturity ?? ''} className={control}>
            <option value="">{t.filterAny}</option>
            {MATURITY_RATING_VALUES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <NumberFilter label={t.filterRuntimeMax} name="runtimeMax" min={0} max={1440} value={params.runtimeMax} />
        {sortable ? (
          <label className={field}>
            {t.sortBy}
            <select name="sort" defaultValue={params.sort ?? 'popular'} className={control}>
              {CATALOG_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t[SORT_LABEL[s]]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div className="col-span-2 flex items-end gap-3 sm:col-span-4">
          <button type="submit" className="min-h-11 rounded-md bg-gold px-5 font-semibold text-ink hover:bg-gold/90">
            {t.apply}
          </button>
          <a
            href={queryOf(keep) || '?'}
            className="inline-flex min-h-11 items-center px-3 text-muted underline underline-offset-4"
          >
            {t.clearFilters}
          </a>
        </div>
      </form>
    </details>
  );
}

/** A whole-number filter (years, minutes); the browser's number keyboard on phones. */
function NumberFilter(props: { label: string; name: string; min: number; max: number; value?: string }) {
  return (
    <label className={field}>
      {props.label}
      <input
        name={props.name}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        defaultValue={props.value}
        className={control}
      />
    </label>
  );
}

/** The sort as links too, so one tap changes it. */
export function SortLinks({ t, params }: { t: Dictionary; params: BrowseParams }) {
  const current = params.sort ?? 'popular';
  return (
    <nav aria-label={t.sortBy} className="mt-4 flex flex-wrap gap-2">
      {CATALOG_SORTS.map((s) => (
        <a
          key={s}
          href={queryOf({ ...params, cursor: undefined }, { sort: s }) || '?'}
          aria-current={s === current ? 'true' : undefined}
          className={`inline-flex min-h-11 items-center rounded-full border px-4 text-sm ${
            s === current ? 'border-gold bg-gold font-semibold text-ink' : 'border-line hover:border-gold'
          }`}
        >
          {t[SORT_LABEL[s]]}
        </a>
      ))}
    </nav>
  );
}

export function BrowseResults({
  t,
  items,
  nextCursor,
  params,
}: {
  t: Dictionary;
  items: TitleCardData[];
  nextCursor: string | null;
  params: BrowseParams;
}) {
  if (items.length === 0) return <p className="mt-8 text-muted">{t.noResults}</p>;
  return (
    <>
      <TitleGrid>
        {items.map((title) => (
          <TitleCard key={title.id} title={title} t={t} />
        ))}
      </TitleGrid>
      {nextCursor ? (
        <div className="mt-8 text-center">
          <a
            href={queryOf(params, { cursor: nextCursor })}
            rel="next"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-6 font-semibold hover:border-gold"
          >
            {t.loadMore}
          </a>
        </div>
      ) : null}
    </>
  );
}
