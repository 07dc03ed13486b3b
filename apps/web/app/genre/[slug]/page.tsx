import type { GenrePage, LanguageList } from '@/lib/types';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { BrowseFilters, BrowseResults, browseParamsFrom, queryOf, SortLinks } from '@/components/browse';
import { ApiError } from '@/lib/api/server';
import { getDictionary } from '@/lib/i18n/server';
import { catalogApi } from '@/lib/session';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const page = await catalogApi<GenrePage>(`/api/v1/catalog/genres/${slug}?limit=1`, `/genre/${slug}`).catch(
    () => null,
  );
  return { title: page?.genre.name ?? 'Genre' };
}

export default async function GenreRoute({ params, searchParams }: Props) {
  const { slug } = await params;
  const { genre: _fixed, ...filters } = browseParamsFrom(await searchParams);
  void _fixed;
  const here = `/genre/${slug}${queryOf(filters)}`;
  const { t } = await getDictionary();
  const languages = await catalogApi<LanguageList>('/api/v1/catalog/languages', here);
  let page: GenrePage | null;
  let invalid = false;
  try {
    page = await catalogApi<GenrePage>(`/api/v1/catalog/genres/${slug}${queryOf(filters)}`, here);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    invalid = true;
    page = await catalogApi<GenrePage>(`/api/v1/catalog/genres/${slug}`, here);
  }
  if (!page) notFound();

  return (
    <div>
      <p className="text-sm font-semibold tracking-widest text-gold uppercase">{t.genres}</p>
      <h1 className="mt-1 text-3xl font-black tracking-tight">{page.genre.name}</h1>
      <SortLinks t={t} params={filters} />
      <BrowseFilters t={t} params={filters} languages={languages?.items ?? []} />
      {invalid ? (
        <p className="mt-8 text-muted">{t.noResults}</p>
      ) : (
        <BrowseResults t={t} items={page.items} nextCursor={page.nextCursor} params={filters} />
      )}
    </div>
  );
}
