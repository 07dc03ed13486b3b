/** Genres, languages and categories the title forms offer, read on the server. */
import { serverApi } from '@/lib/api/server';
import type { Genre, Language, StaffCategory } from './types';

export async function loadGenres(): Promise<Genre[]> {
  return (await serverApi<{ items: Genre[] }>('/api/v1/catalog/genres')).items;
}

export async function loadLanguages(): Promise<Language[]> {
  return (await serverApi<{ items: Language[] }>('/api/v1/catalog/languages')).items;
}

export async function loadCategories(): Promise<StaffCategory[]> {
  return (await serverApi<{ items: StaffCategory[] }>('/api/v1/admin/categories')).items;
}
