import { MATURITY_RATING_VALUES, type MaturityRating } from '@kush/contracts';
import { episodes, titles } from '@kush/db';
import { and, eq, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import { ratingsUpTo } from './maturity';

/**
 * What viewers may see. A scheduled title is live from its publishAt even before the
 * catalog.publish-due job flips its status, so going live never depends on the job running on time.
 */
export function titleIsLive(now: Date): SQL {
  return or(eq(titles.status, 'published'), and(eq(titles.status, 'scheduled'), lte(titles.publishAt, now)))!;
}

/** titleIsLive() for one row already loaded. */
export function isLive(row: { status: string; publishAt: Date | null }, now: Date): boolean {
  return row.status === 'published' || (row.status === 'scheduled' && !!row.publishAt && row.publishAt <= now);
}

/** Live, and rated at most `maturity`. */
export function titleVisible(now: Date, maturity: MaturityRating): SQL {
  const live = titleIsLive(now);
  if (maturity === MATURITY_RATING_VALUES.at(-1)) return live;
  return and(live, inArray(titles.maturityRating, ratingsUpTo(maturity)))!;
}

/** Episodes of a visible series: released with it, or at their own publishAt. */
export function episodeReleased(now: Date): SQL {
  return or(isNull(episodes.publishAt), lte(episodes.publishAt, now))!;
}
