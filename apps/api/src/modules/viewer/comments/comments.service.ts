import { AppError, type Comment, type CommentReportReason } from '@kush/contracts';
import type { Database, Executor } from '@kush/db';
import type { RateLimiter } from '@kush/infra';
import { decodeAfter, decodePageCursor, encodePageCursor, invalidCursor, toPage } from '../../../lib/cursor';
import { recordAudit } from '../../audit/audit.repository';
import { findOwnProfile } from '../../profiles/profile-context';
import { findPublishedTitle, findVisibleTitle } from '../catalog-access';
import { rateLimited } from '../errors';
import * as repo from './comments.repository';

/** The moderation queue's order: most-reported first, then newest. */
const MODERATION_SCOPE = 'moderation-queue';

/** Posts and edits per account per minute: enough to talk, too few to flood. */
export const COMMENT_WRITES_PER_MINUTE = 5;
const REPORTS_PER_HOUR = 20;

type WithAuthor = NonNullable<Awaited<ReturnType<typeof repo.findWithAuthor>>>;
type ModerationRow = NonNullable<Awaited<ReturnType<typeof repo.findForModeration>>>;

export interface ModeratorContext {
  actorId: string;
  requestId?: string;
  ip?: string;
}

function toComment(row: WithAuthor, viewerUserId: string | null): Comment {
  const c = row.comment;
  return {
    id: c.id,
    titleId: c.titleId,
    author: { name: row.authorName, avatar: row.authorAvatar },
    body: c.body,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    mine: c.userId === viewerUserId,
    hidden: c.status === 'hidden',
  };
}

function toModerationComment(row: ModerationRow) {
  const c = row.comment;
  return {
    id: c.id,
    title: { id: c.titleId, name: row.titleName, slug: row.titleSlug },
    author: { userId: c.userId, displayName: row.displayName, profileName: row.profileName },
    body: c.body,
    status: c.status,
    hiddenReason: c.hiddenReason,
    openReports: c.openReports,
    reportReasons: row.reasons ?? [],
    lastReportedAt: c.lastReportedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
  };
}

function decodeModerationCursor(cursor: string): repo.ModerationKey {
  const [r, t, id] = decodePageCursor(cursor, MODERATION_SCOPE, 3) as [string, string, string];
  const openReports = Number(r);
  const createdAt = new Date(t);
  if (!Number.isSafeInteger(openReports) || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw invalidCursor();
  }
  return { openReports, createdAt, id };
}

const notFound = () => new AppError('NOT_FOUND', 'No such comment.');

/** Viewers' comments on titles: plain text, throttled per account, hidden ones seen only by their author. */
export class CommentsService {
  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * A title's comments. As a profile (`profileId`), only for a title within its maturity limit:
   * the title does not exist for a kids profile, and neither do its comments.
   */
  async listForTitle(
    titleId: string,
    viewerUserId: string | null,
    query: { cursor?: string; limit: number },
    profileId?: string,
  ) {
    if (profileId === undefined) await findPublishedTitle(this.db, titleId);
    else if (viewerUserId === null) throw new AppError('UNAUTHENTICATED', 'Sign in to read as a profile.');
    else await findVisibleTitle(this.db, await findOwnProfile(this.db, viewerUserId, profileId), titleId);
    const rows = await repo.listForTitle(this.db, titleId, viewerUserId, {
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (r) => toComment(r, viewerUserId),
      (r) => ({ createdAt: r.comment.createdAt, id: r.comment.id }),
    );
  }

  async post(userId: string, profileId: string, input: { titleId: string; body: string }): Promise<Comment> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    await findVisibleTitle(this.db, profile, input.titleId);
    await this.throttleWrites(userId);
    const row = await repo.insertComment(this.db, {
      titleId: input.titleId,
      userId,
      profileId: profile.id,
      body: input.body,
    });
    return toComment({ comment: row, authorName: profile.name, authorAvatar: profile.avatar }, userId);
  }

  async edit(userId: string, profileId: string, commentId: string, body: string): Promise<Comment> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const comment = await repo.findProfileComment(this.db, profile.id, commentId);
    if (!comment) throw notFound();
    if (comment.status === 'hidden')
      throw new AppError('CONFLICT', 'A moderator hid this comment; it cannot be edited.');
    await this.throttleWrites(userId);
    const row = await repo.updateBody(this.db, comment.id, body);
    return toComment({ comment: row, authorName: profile.name, authorAvatar: profile.avatar }, userId);
  }

  async remove(userId: string, profileId: string, commentId: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const comment = await repo.findProfileComment(this.db, profile.id, commentId);
    if (!comment) throw notFound();
    await repo.deleteComment(this.db, comment.id);
  }

  /** One report per account per comment; reporting again changes nothing. */
  async report(
    userId: string,
    commentId: string,
    input: { reason: CommentReportReason; note?: string },
  ): Promise<void> {
    const comment = await repo.findComment(this.db, commentId);
    if (!comment || comment.status !== 'visible') throw notFound();
    await findPublishedTitle(this.db, comment.titleId).catch(() => {
      throw notFound();
    });
    if (comment.userId === userId) throw new AppError('CONFLICT', 'You cannot report your own comment.');
    const limit = await this.limiter.consume(`comment-reports:${userId}`, REPORTS_PER_HOUR, 3600);
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'reports');
    await this.db.transaction((tx) =>
      repo.addReport(tx, { commentId: comment.id, userId, reason: input.reason, note: input.note ?? null }),
    );
  }

  private async throttleWrites(userId: string): Promise<void> {
    const limit = await this.limiter.consume(`comment-writes:${userId}`, COMMENT_WRITES_PER_MINUTE, 60);
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'comments');
  }
}

/** Staff moderation (permission comments:moderate). Every action is written to the audit log. */
export class CommentModerationService {
  constructor(private readonly db: Database) {}

  async queue(query: { status?: 'visible' | 'hidden'; reported?: boolean; cursor?: string; limit: number }) {
    const rows = await repo.listForModeration(this.db, {
      status: query.status,
      reported: query.reported,
      after: query.cursor ? decodeModerationCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1)?.comment;
    return {
      items: page.map(toModerationComment),
      nextCursor:
        rows.length > query.limit && last
          ? encodePageCursor(MODERATION_SCOPE, [String(last.openReports), last.createdAt.toISOString(), last.id])
          : null,
    };
  }

  async hide(id: string, reason: string | undefined, ctx: ModeratorContext) {
    return this.change(id, 'comment.hide', ctx, async (tx, before) => {
      await repo.setStatus(tx, id, {
        status: 'hidden',
        hiddenReason: reason ?? null,
        hiddenBy: ctx.actorId,
        hiddenAt: new Date(),
      });
      await repo.resolveReports(tx, id);
      return { status: 'hidden', reason: reason ?? null, reportsClosed: before.openReports };
    });
  }

  async restore(id: string, ctx: ModeratorContext) {
    return this.change(id, 'comment.restore', ctx, async (tx) => {
      await repo.setStatus(tx, id, { status: 'visible', hiddenReason: null, hiddenBy: null, hiddenAt: null });
      return { status: 'visible' };
    });
  }

  /** The reports were unfounded: the comment stays and leaves the top of the queue. */
  async dismissReports(id: string, ctx: ModeratorContext) {
    return this.change(id, 'comment.reports.dismiss', ctx, async (tx, before) => {
      await repo.resolveReports(tx, id);
      return { openReports: 0, reportsClosed: before.openReports };
    });
  }

  async remove(id: string, ctx: ModeratorContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const before = await repo.deleteComment(tx, id);
      if (!before) throw notFound();
      await recordAudit(tx, {
        actorId: ctx.actorId,
        action: 'comment.delete',
        entityType: 'comment',
        entityId: id,
        before: { titleId: before.titleId, userId: before.userId, body: before.body, status: before.status },
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
    });
  }

  private async change(
    id: string,
    action: string,
    ctx: ModeratorContext,
    apply: (tx: Executor, before: repo.CommentRow) => Promise<Record<string, unknown>>,
  ) {
    return this.db.transaction(async (tx) => {
      const before = await repo.lockComment(tx, id);
      if (!before) throw notFound();
      const after = await apply(tx, before);
      await recordAudit(tx, {
        actorId: ctx.actorId,
        action,
        entityType: 'comment',
        entityId: id,
        before: { status: before.status, openReports: before.openReports },
        after,
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      return toModerationComment((await repo.findForModeration(tx, id))!);
    });
  }
}
