import { createHash } from 'node:crypto';
import {
  AppError,
  type JobPayloads,
  NOTIFICATION_DEFAULTS,
  NOTIFICATION_TYPE_VALUES,
  type Notification,
  type NotificationContent,
  type NotificationType,
} from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import type { JobQueue } from '@kush/infra';
import { findOwnProfile } from '../../profiles/profile-context';
import { isAllowedFor } from '../catalog-access';
import { decodeAfter, toPage } from '../../../lib/cursor';
import { notificationEmail } from './notification-emails';
import * as repo from './notifications.repository';

export interface NotificationsDeps {
  db: Database;
  queue: JobQueue<JobPayloads>;
  /** The web app's public address, for links in emails. */
  webUrl: string;
  /** Accounts handled per round of a fan-out (tests make it small). */
  fanoutBatchSize?: number;
}

type Preference = { inApp: boolean; email: boolean };
type Preferences = Record<NotificationType, Preference>;
type FanoutJob = JobPayloads['notifications.fanout'];

/** Accounts handled per round of a fan-out: bounded memory and statement size whatever the audience. */
const FANOUT_BATCH = 500;

// Other modules pass trusted text, but it is still bounded and stripped of what PostgreSQL refuses.
// eslint-disable-next-line no-control-regex
const clean = (s: string, max: number) => s.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').slice(0, max);

/** BullMQ job ids may not contain ":"; a digest keeps them short and safe whatever the key. */
const emailJobId = (userId: string, key: string) =>
  `notify-email-${createHash('sha256').update(`${userId}|${key}`).digest('hex').slice(0, 32)}`;

function toNotification(row: repo.NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    body: row.body,
    url: row.url,
    data: (row.data ?? {}) as Record<string, unknown>,
    profileId: row.profileId,
    read: row.readAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * In-app notifications and their emails. Other modules call notify() (subscriptions, payments),
 * notifyNewEpisode() and notifyTitleBecameFree() (catalog); the fan-out runs as a job.
 */
export class NotificationsService {
  private readonly db: Database;
  private readonly queue: JobQueue<JobPayloads>;
  private readonly webUrl: string;
  private readonly batchSize: number;

  constructor(deps: NotificationsDeps) {
    this.db = deps.db;
    this.queue = deps.queue;
    this.webUrl = deps.webUrl.replace(/\/$/, '');
    this.batchSize = deps.fanoutBatchSize ?? FANOUT_BATCH;
  }

  /**
   * Notifies one account (or one of its profiles, with content.profileId): an in-app notification
   * and/or an email ('email.send' job), as the account's preferences for the type say.
   */
  async notify(
    userId: string,
    type: NotificationType,
    content: NotificationContent,
  ): Promise<{ notificationId: string | null; emailed: boolean }> {
    const recipient = await repo.findRecipient(this.db, userId);
    if (!recipient) throw new AppError('NOT_FOUND', 'No such account.');
    if (content.profileId) await findOwnProfile(this.db, userId, content.profileId);
    const prefs = (await this.preferencesOf([userId])).get(userId)![type];
    const subject = clean(content.subject, 200);
    const body = clean(content.body, 2000);
    const url = content.url ?? null;

    let notificationId: string | null = null;
    if (prefs.inApp) {
      const [row] = await repo.insertNotifications(this.db, [
        {
          id: uuidv7(),
          userId,
          profileId: content.profileId ?? null,
          type,
          subject,
          body,
          url,
          data: content.data ?? {},
          dedupeKey: content.dedupeKey ?? null,
        },
      ]);
      // Already delivered under this key: neither a second notification nor a second email.
      if (!row) return { notificationId: null, emailed: false };
      notificationId = row.id;
    }
    if (!prefs.email || !recipient.email) return { notificationId, emailed: false };
    await this.queue.enqueue(
      'email.send',
      notificationEmail(recipient.email, recipient.displayName, { subject, body, url }, this.webUrl),
      content.dedupeKey ? { jobId: emailJobId(userId, content.dedupeKey) } : undefined,
    );
    return { notificationId, emailed: true };
  }

  /** For the catalog: a series gained an episode. Returns at once; a job notifies the audience. */
  async notifyNewEpisode(titleId: string, episodeId: string): Promise<void> {
    await this.queue.enqueue(
      'notifications.fanout',
      { kind: 'new_episode', titleId, episodeId },
      { jobId: `fanout-episode-${episodeId}` },
    );
  }

  /** For the catalog: a premium title became free. Each call is a new event (free, premium, free again). */
  async notifyTitleBecameFree(titleId: string): Promise<void> {
    const eventId = uuidv7();
    await this.queue.enqueue(
      'notifications.fanout',
      { kind: 'title_free', titleId, eventId },
      { jobId: `fanout-free-${eventId}` },
    );
  }

  /**
   * The 'notifications.fanout' job: every profile with the title in its My List (and allowed to
   * see it) gets a notification; each account gets at most one email. Safe to run again: the
   * dedupe keys skip what an earlier attempt delivered.
   */
  async runFanout(job: FanoutJob): Promise<{ notified: number; emailed: number }> {
    const title = await repo.findFanoutTitle(this.db, job.titleId);
    const live =
      title &&
      (title.status === 'published' ||
        (title.status === 'scheduled' && title.publishAt !== null && title.publishAt <= new Date()));
    if (!title || !live) return { notified: 0, emailed: 0 };

    let type: NotificationType;
    let eventKey: string;
    let content: { subject: string; body: string; url: string; data: Record<string, string> };
    const url = `/titles/${encodeURIComponent(title.slug)}`;
    switch (job.kind) {
      case 'new_episode': {
        const episode = await repo.findEpisode(this.db, title.id, job.episodeId);
        if (!episode) return { notified: 0, emailed: 0 };
        type = 'new_episode';
        eventKey = `new_episode:${episode.id}`;
        content = {
          subject: clean(`New episode of ${title.name}`, 200),
          body: clean(
            `Season ${episode.seasonNumber}, episode ${episode.number}: ${episode.name} is now on Kush Films.`,
            2000,
          ),
          url,
          data: { titleId: title.id, episodeId: episode.id },
        };
        break;
      }
      case 'title_free': {
        // It may have gone back to premium before the job ran: then there is nothing to announce.
        if (title.accessTier !== 'free') return { notified: 0, emailed: 0 };
        type = 'title_free';
        eventKey = `title_free:${title.id}:${job.eventId}`;
        content = {
          subject: clean(`${title.name} is now free to watch`, 200),
          body: clean(`${title.name}, from your list, is now free to watch on Kush Films.`, 2000),
          url,
          data: { titleId: title.id },
        };
        break;
      }
    }

    let notified = 0;
    let emailed = 0;
    let after: string | undefined;
    for (;;) {
      const userIds = await repo.listFanoutAccounts(this.db, title.id, after, this.batchSize);
      if (userIds.length === 0) break;
      const audience = (await repo.listFanoutProfiles(this.db, title.id, userIds)).filter((r) =>
        isAllowedFor(r.profile, title.maturityRating),
      );
      const prefs = await this.preferencesOf(userIds);
      const inserted = await repo.insertNotifications(
        this.db,
        audience
          .filter((r) => prefs.get(r.profile.userId)![type].inApp)
          .map((r) => ({
            id: uuidv7(),
            userId: r.profile.userId,
            profileId: r.profile.id,
            type,
            ...content,
            dedupeKey: `${eventKey}:${r.profile.id}`,
          })),
      );
      notified += inserted.length;
      const newlyNotified = new Set(inserted.map((r) => r.userId));
      const mailed = new Set<string>();
      for (const r of audience) {
        const userId = r.profile.userId;
        const pref = prefs.get(userId)![type];
        if (!pref.email || !r.email || mailed.has(userId)) continue;
        // With in-app on, an account with nothing new was handled by an earlier attempt.
        if (pref.inApp && !newlyNotified.has(userId)) continue;
        mailed.add(userId);
        await this.queue.enqueue('email.send', notificationEmail(r.email, r.displayName, content, this.webUrl), {
          jobId: emailJobId(userId, eventKey),
        });
      }
      emailed += mailed.size;
      after = userIds.at(-1);
      if (userIds.length < this.batchSize) break;
    }
    return { notified, emailed };
  }

  async list(userId: string, profileId: string, query: { cursor?: string; limit: number; unread?: boolean }) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const rows = await repo.listNotifications(this.db, profile, {
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
      unreadOnly: query.unread,
    });
    const page = toPage(rows, query.limit, toNotification, (r) => ({ createdAt: r.createdAt, id: r.id }));
    return { ...page, unreadCount: await repo.countUnread(this.db, profile) };
  }

  async unreadCount(userId: string, profileId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    return { unreadCount: await repo.countUnread(this.db, profile) };
  }

  async markRead(userId: string, profileId: string, notificationId: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    if (!(await repo.markRead(this.db, profile, notificationId))) {
      throw new AppError('NOT_FOUND', 'No such notification.');
    }
  }

  async markAllRead(userId: string, profileId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    return { updated: await repo.markAllRead(this.db, profile) };
  }

  async preferences(userId: string) {
    const prefs = (await this.preferencesOf([userId])).get(userId)!;
    return { items: NOTIFICATION_TYPE_VALUES.map((type) => ({ type, ...prefs[type] })) };
  }

  async updatePreferences(userId: string, items: { type: NotificationType; inApp?: boolean; email?: boolean }[]) {
    const current = (await this.preferencesOf([userId])).get(userId)!;
    await this.db.transaction(async (tx) => {
      for (const item of items) {
        const next = { inApp: item.inApp ?? current[item.type].inApp, email: item.email ?? current[item.type].email };
        await repo.upsertPreference(tx, userId, item.type, next);
      }
    });
    return this.preferences(userId);
  }

  private async preferencesOf(userIds: string[]): Promise<Map<string, Preferences>> {
    const stored = await repo.findPreferences(this.db, userIds);
    const result = new Map<string, Preferences>();
    for (const userId of userIds) result.set(userId, structuredClone(NOTIFICATION_DEFAULTS));
    for (const row of stored) result.get(row.userId)![row.type] = { inApp: row.inApp, email: row.email };
    return result;
  }
}
