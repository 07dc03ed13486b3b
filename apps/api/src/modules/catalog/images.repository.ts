import { episodes, type Executor, people, type StoredImage, titleCredits, titles } from '@kush/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { titleIsLive } from './visibility';

/** Where a picture belongs: a title's poster or backdrop, a person's photo, or an episode's still. */
export type ImageSlot =
  | { owner: 'titles'; kind: 'poster' | 'backdrop' }
  | { owner: 'people'; kind: 'photo' }
  | { owner: 'episodes'; kind: 'still' };

const COLUMNS = {
  poster: titles.posterImage,
  backdrop: titles.backdropImage,
  photo: people.photoImage,
  still: episodes.stillImage,
} as const;

const TABLES = { titles, people, episodes } as const;

/**
 * The slot's current picture, with the owner's row locked until the transaction ends (concurrent
 * uploads for one owner queue up); undefined when the owner does not exist.
 */
export async function lockImage(
  tx: Executor,
  slot: ImageSlot,
  ownerId: string,
): Promise<{ image: StoredImage | null } | undefined> {
  const table = TABLES[slot.owner];
  const [row] = await tx
    .select({ image: COLUMNS[slot.kind] })
    .from(table)
    .where(eq(table.id, ownerId))
    .limit(1)
    .for('update');
  return row ? { image: row.image ?? null } : undefined;
}

export async function setImage(tx: Executor, slot: ImageSlot, ownerId: string, image: StoredImage | null) {
  if (slot.owner === 'titles') {
    const values = slot.kind === 'poster' ? { posterImage: image } : { backdropImage: image };
    await tx
      .update(titles)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(titles.id, ownerId));
  } else if (slot.owner === 'people') {
    await tx.update(people).set({ photoImage: image, updatedAt: new Date() }).where(eq(people.id, ownerId));
  } else {
    await tx.update(episodes).set({ stillImage: image, updatedAt: new Date() }).where(eq(episodes.id, ownerId));
  }
}

export async function ownerExists(db: Executor, owner: ImageSlot['owner'], ownerId: string): Promise<boolean> {
  const table = TABLES[owner];
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, ownerId)).limit(1);
  return !!row;
}

/** What the public image route needs to know about an owner: is it public now, and its current folders. */
export interface ImageAccess {
  /**
   * A title: published, or scheduled with this publishAt (live from then). A person: credited on a
   * live title. An episode: its series live, from the later of the series' and its own publishAt.
   */
  status: 'live' | 'hidden' | { liveFrom: Date };
  prefixes: string[];
}

function titleAccess(status: string, publishAt: Date | null): ImageAccess['status'] {
  if (status === 'published') return 'live';
  return status === 'scheduled' && publishAt ? { liveFrom: publishAt } : 'hidden';
}

/** Live once both are: the series (by its status) and the episode (from its own publishAt, if any). */
function episodeAccess(series: ImageAccess['status'], episodeFrom: Date | null): ImageAccess['status'] {
  if (series === 'hidden' || !episodeFrom) return series;
  if (series === 'live') return { liveFrom: episodeFrom };
  return { liveFrom: series.liveFrom > episodeFrom ? series.liveFrom : episodeFrom };
}

export async function imageAccess(
  db: Executor,
  owner: ImageSlot['owner'],
  ownerId: string,
  now: Date,
): Promise<ImageAccess | undefined> {
  if (owner === 'titles') {
    const [row] = await db
      .select({
        status: titles.status,
        publishAt: titles.publishAt,
        poster: sql<string | null>`${titles.posterImage} ->> 'prefix'`,
        backdrop: sql<string | null>`${titles.backdropImage} ->> 'prefix'`,
      })
      .from(titles)
      .where(eq(titles.id, ownerId))
      .limit(1);
    if (!row) return undefined;
    const status = titleAccess(row.status, row.publishAt);
    return { status, prefixes: [row.poster, row.backdrop].filter((p): p is string => !!p) };
  }
  if (owner === 'episodes') {
    const [row] = await db
      .select({
        status: titles.status,
        publishAt: titles.publishAt,
        episodePublishAt: episodes.publishAt,
        still: sql<string | null>`${episodes.stillImage} ->> 'prefix'`,
      })
      .from(episodes)
      .innerJoin(titles, eq(titles.id, episodes.titleId))
      .where(eq(episodes.id, ownerId))
      .limit(1);
    if (!row) return undefined;
    const status = episodeAccess(titleAccess(row.status, row.publishAt), row.episodePublishAt);
    return { status, prefixes: row.still ? [row.still] : [] };
  }
  const [row] = await db
    .select({ photo: sql<string | null>`${people.photoImage} ->> 'prefix'` })
    .from(people)
    .where(eq(people.id, ownerId))
    .limit(1);
  if (!row) return undefined;
  const [credit] = await db
    .select({ titleId: titleCredits.titleId })
    .from(titleCredits)
    .innerJoin(titles, eq(titles.id, titleCredits.titleId))
    .where(and(eq(titleCredits.personId, ownerId), titleIsLive(now)))
    .limit(1);
  return { status: credit ? 'live' : 'hidden', prefixes: row.photo ? [row.photo] : [] };
}

/** Every folder currently recorded for these owners (for the sweeper). */
export async function recordedPrefixes(db: Executor, owner: ImageSlot['owner'], ownerIds: string[]) {
  if (ownerIds.length === 0) return new Set<string>();
  const rows =
    owner === 'titles'
      ? await db
          .select({
            a: sql<string | null>`${titles.posterImage} ->> 'prefix'`,
            b: sql<string | null>`${titles.backdropImage} ->> 'prefix'`,
          })
          .from(titles)
          .where(inArray(titles.id, ownerIds))
      : owner === 'people'
        ? await db
            .select({ a: sql<string | null>`${people.photoImage} ->> 'prefix'`, b: sql<string | null>`null` })
            .from(people)
            .where(inArray(people.id, ownerIds))
        : await db
            .select({ a: sql<string | null>`${episodes.stillImage} ->> 'prefix'`, b: sql<string | null>`null` })
            .from(episodes)
            .where(inArray(episodes.id, ownerIds));
  return new Set(rows.flatMap((r) => [r.a, r.b]).filter((p): p is string => !!p));
}
