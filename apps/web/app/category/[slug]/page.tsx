import type { CategoryPage, GenreList, LanguageList } from '@/lib/types';
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
  const page = await catalogApi<CategoryPage>(`/api/v1/catalog/categories/${slug}?limit=1`, `/category/${slug}`).catch(
    () => null,
  );
  return { title: page?.category.name ?? 'Category' };
}

export default async function CategoryRoute({ params, searchParams }: Props) {
  const { slug } = await params;
  const filters = browseParamsFrom(await searchParams);
  const here = `/category/${slug}${queryOf(filters)}`;
  const { t } = await getDictionary();
  const [genres, languages] = await Promise.all([
    catalogApi<GenreList>('/api/v1/catalog/genres', here),
    catalogApi<LanguageList>('/api/v1/catalog/languages', here),
  ]);
  let page: CategoryPage | null;
  let invalid = false;
  try {
    page = await catalogApi<CategoryPage>(`/api/v1/catalog/categories/${slug}${queryOf(filters)}`, here);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    invalid = true;
    page = await catalogApi<CategoryPage>(`/api/v1/catalog/categories/${slug}`, here);
  }
  if (!page) notFound();

  return (
    <div>
      <p className="text-sm font-semibold tracking-widest text-gold uppercase">{t.categories}</p>
      <h1 className="mt-1 text-3xl font-black tracking-tight">{page.category.name}</h1>
      {page.category.description ? <p className="mt-2 max-w-prose text-muted">{page.category.description}</p> : null}
      <SortLinks t={t} params={filters} />
      <BrowseFilters t={t} params={filters} genres={genres?.items ?? []} languages={languages?.items ?? []} />
      {invalid ? (
        <p className="mt-8 text-muted">{t.noResults}</p>
      ) : (
        <BrowseResults t={t} items={page.items} nextCursor={page.nextCursor} params={filters} />
      )}
    </div>
  );
}
