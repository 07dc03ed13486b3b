'use server';
/**
 * The home page's category rows past the first few, and the genre links, for the browser to ask
 * for as the viewer scrolls towards them (components/home/more-rows.tsx). Rendered here, on the
 * server, exactly as the page renders its first rows, and sent as React elements: the browser
 * gets no card-drawing code, and a viewer who never scrolls down never downloads them.
 */
import type { CatalogHome } from '@kush/contracts';
import type { ReactNode } from 'react';
import type { GenreList } from '@/lib/types';
import { getDictionary } from '@/lib/i18n/server';
import { catalogApi } from '@/lib/session';
import { CategoryRows, SERVER_CATEGORY_ROWS } from './rows';

export async function moreHomeRows(): Promise<ReactNode> {
  // As the page itself: the selected profile's maturity limit applies, and the same cached reads.
  const [{ t }, home, genres] = await Promise.all([
    getDictionary(),
    catalogApi<CatalogHome>('/api/v1/catalog/home', '/'),
    catalogApi<GenreList>('/api/v1/catalog/genres', '/').catch(() => null),
  ]);
  return <CategoryRows rows={home?.rows.slice(SERVER_CATEGORY_ROWS) ?? []} genres={genres} t={t} />;
}
