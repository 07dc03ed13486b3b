import { AppError } from '@kush/contracts';
import { type Executor, isUniqueViolation } from '@kush/db';
import { type Slugged, slugsLike } from './slugs.repository';

/** Slugs for human-facing URLs: lower-case ASCII letters and digits separated by single hyphens. */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** `base` if free, else the first free `base-2`, `base-3`… given the slugs already starting with `base`. */
export function firstFreeSlug(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

const FALLBACK: Record<Slugged, string> = {
  titles: 'title',
  people: 'person',
  genres: 'genre',
  categories: 'category',
};

/**
 * The slug for a new or renamed record: a slug chosen by staff must be free (409 otherwise); without
 * one, it is made from the name and suffixed (-2, -3…) when taken.
 */
export async function claimSlug(
  tx: Executor,
  table: Slugged,
  requested: string | undefined,
  name: string,
): Promise<string> {
  if (requested) {
    const taken = await slugsLike(tx, table, requested);
    if (taken.includes(requested)) throw slugTaken(requested);
    return requested;
  }
  const base = slugify(name, FALLBACK[table]);
  return firstFreeSlug(base, await slugsLike(tx, table, base));
}

/** Two staff saving the same slug at once: the loser of the unique index gets the same 409. */
export async function withUniqueSlug<T>(constraint: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, constraint)) throw slugTaken();
    throw error;
  }
}

const slugTaken = (slug?: string) =>
  new AppError('SLUG_TAKEN', slug ? `The slug "${slug}" is already used.` : 'That slug is already used.');
