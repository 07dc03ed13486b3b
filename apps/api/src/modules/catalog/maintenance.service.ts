import type { Database } from '@kush/db';
import { recordAudit } from '../audit/audit.repository';
import { isoOrNull } from './catalog.mapper';
import * as repo from './titles.repository';

/**
 * The periodic catalog jobs (catalog.publish-due every minute, catalog.refresh-popularity every ten),
 * run by the worker or inside the API process. Both are idempotent, so a job that runs twice, or on
 * two workers at once, does no harm.
 */
export class CatalogMaintenance {
  constructor(
    private readonly db: Database,
    /** Announces a catalog change to every API instance (cache invalidation). */
    private readonly changed: () => Promise<unknown>,
    /** Tells followers of a series about an episode whose release date has come. */
    private readonly episodeReleased: (titleId: string, episodeId: string) => Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Publishes scheduled titles whose time has come, each with an audit entry without an actor. */
  async publishDue(): Promise<number> {
    const now = this.now();
    const published = await this.db.transaction(async (tx) => {
      const rows = await repo.publishDueTitles(tx, now);
      for (const row of rows) {
        await recordAudit(tx, {
          actorId: null,
          action: 'title.status.published',
          entityType: 'title',
          entityId: row.id,
          before: { status: 'scheduled', publishAt: isoOrNull(row.publishAt) },
          after: { status: 'published', publishAt: isoOrNull(row.publishAt), by: 'scheduler' },
        });
      }
      return rows;
    });
    if (published.length) await this.changed();
    // Episodes dated later than their series are news on their release date.
    const released = await repo.claimDueEpisodeAnnouncements(this.db, now);
    for (const episode of released) await this.episodeReleased(episode.titleId, episode.id);
    return published.length;
  }

  /** Recounts plays of the last 7 days (trending and the popular sort read the count). */
  async refreshPopularity(): Promise<number> {
    const changed = await repo.refreshRecentPlays(this.db, this.now());
    if (changed) await this.changed();
    return changed;
  }
}
