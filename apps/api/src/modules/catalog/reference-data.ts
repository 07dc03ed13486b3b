import { categories, type Database, genres, languages, uuidv7 } from '@kush/db';
import { sql } from 'drizzle-orm';

/** Reference data every install starts with; staff extend it through the admin API. */
export const LANGUAGES = [
  { code: 'en', name: 'English', nativeName: 'English' },
  { code: 'lg', name: 'Luganda', nativeName: 'Luganda' },
  { code: 'sw', name: 'Swahili', nativeName: 'Kiswahili' },
  { code: 'nyn', name: 'Runyankore', nativeName: 'Runyankore' },
  { code: 'ach', name: 'Acholi', nativeName: 'Lwo' },
  { code: 'teo', name: 'Ateso', nativeName: 'Ateso' },
  { code: 'rw', name: 'Kinyarwanda', nativeName: 'Ikinyarwanda' },
  { code: 'fr', name: 'French', nativeName: 'Français' },
];

export const GENRES = [
  ['drama', 'Drama'],
  ['comedy', 'Comedy'],
  ['action', 'Action'],
  ['thriller', 'Thriller'],
  ['romance', 'Romance'],
  ['horror', 'Horror'],
  ['documentary', 'Documentary'],
  ['animation', 'Animation'],
  ['kids-family', 'Kids & Family'],
  ['music', 'Music'],
  ['crime', 'Crime'],
  ['history', 'History'],
] as const;

export const HOME_CATEGORIES = [
  ['ugandan-stories', 'Ugandan Stories', 'Films and series made in Uganda'],
  ['east-african-favourites', 'East African Favourites', 'Loved across the region'],
  ['in-luganda', 'In Luganda', 'Titles with Luganda audio'],
  ['kids', 'Kids', 'For the youngest viewers'],
  ['documentaries', 'Documentaries', 'True stories from home and away'],
  ['free-to-watch', 'Free to Watch', 'No subscription needed'],
] as const;

/** Idempotent: inserts what is missing and never changes what staff edited. Returns report lines. */
export async function seedCatalogReference(db: Database): Promise<string[]> {
  const added = await db.transaction(async (tx) => {
    const langs = await tx.insert(languages).values(LANGUAGES).onConflictDoNothing().returning();
    const gens = await tx
      .insert(genres)
      .values(GENRES.map(([slug, name]) => ({ id: uuidv7(), slug, name })))
      .onConflictDoNothing()
      .returning();
    // Missing rows go after the ones staff already arranged.
    const [{ next }] = (await tx
      .select({ next: sql<number>`coalesce(max(${categories.position}), -1)::int + 1` })
      .from(categories)) as [{ next: number }];
    const cats = await tx
      .insert(categories)
      .values(
        HOME_CATEGORIES.map(([slug, name, description], i) => ({
          id: uuidv7(),
          slug,
          name,
          description,
          position: next + i,
        })),
      )
      .onConflictDoNothing()
      .returning();
    return { languages: langs.length, genres: gens.length, categories: cats.length };
  });
  return [
    `catalog: ${added.languages} languages, ${added.genres} genres and ${added.categories} home categories added`,
  ];
}
