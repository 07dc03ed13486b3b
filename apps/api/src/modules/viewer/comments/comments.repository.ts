import { commentReports, comments, type Executor, profiles, titles, users, uuidv7 } from '@kush/db';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { TimeKey } from '../../../lib/cursor';

export type CommentRow = typeof comments.$inferSelect;
type ReportReason = (typeof commentReports.$inferSelect)['reason'];

export async function insertComment(
  db: Executor,
  values: { titleId: string; userId: string; profileId: string; body: string },
): Promise<CommentRow> {
  const now = new Date();
  const [row] = await db
    .insert(comments)
    .values({ ...values, id: uuidv7(), createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function findComment(db: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id)).limit(1);
  return row;
}

/** Locks the comment until the transaction ends, so two moderators act one after the other. */
export async function lockComment(db: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id)).for('update');
  return row;
}

/** A comment written by this profile (whose account the caller already proved). */
export async function findProfileComment(db: Executor, profileId: string, id: string): Promise<CommentRow | undefined> {
  const [row] = await db
    .select()
    .from(comments)
    .where(and(eq(comments.id, id), eq(comments.profileId, profileId)))
    .limit(1);
  return row;
}

export async function updateBody(db: Executor, id: string, body: string): Promise<CommentRow> {
  const now = new Date();
  const [row] = await db
    .update(comments)
    .set({ body, editedAt: now, updatedAt: now })
    .where(eq(comments.id, id))
    .returning();
  return row!;
}

export async function deleteComment(db: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await db.delete(comments).where(eq(comments.id, id)).returning();
  return row;
}

const publicColumns = {
  comment: comments,
  authorName: profiles.name,
  authorAvatar: profiles.avatar,
};

export async function findWithAuthor(db: Executor, id: string) {
  const [row] = await db
    .select(publicColumns)
    .from(comments)
    .innerJoin(profiles, eq(profiles.id, comments.profileId))
    .where(eq(comments.id, id))
    .limit(1);
  return row;
}

/** Newest first; hidden comments only for the account that wrote them. */
export async function listForTitle(
  db: Executor,
  titleId: string,
  viewerUserId: string | null,
  page: { after?: TimeKey; limit: number },
) {
  const after = page.after
    ? or(
        lt(comments.createdAt, page.after.createdAt),
        and(eq(comments.createdAt, page.after.createdAt), lt(comments.id, page.after.id)),
      )
    : undefined;
  const visible = viewerUserId
    ? or(eq(comments.status, 'visible'), eq(comments.userId, viewerUserId))
    : eq(comments.status, 'visible');
  return db
    .select(publicColumns)
    .from(comments)
    .innerJoin(profiles, eq(profiles.id, comments.profileId))
    .where(and(eq(comments.titleId, titleId), visible, after))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(page.limit);
}

/** Records one report per account; true when it is new (and counted on the comment). */
export async function addReport(
  db: Executor,
  values: { commentId: string; userId: string; reason: ReportReason; note: string | null },
): Promise<boolean> {
  const now = new Date();
  const [row] = await db
    .insert(commentReports)
    .values({ ...values, createdAt: now })
    .onConflictDoNothing()
    .returning({ commentId: commentReports.commentId });
  if (!row) return false;
  await db
    .update(comments)
    .set({ openReports: sql`${comments.openReports} + 1`, lastReportedAt: now })
    .where(eq(comments.id, values.commentId));
  return true;
}

export async function setStatus(
  db: Executor,
  id: string,
  values: { status: 'visible' | 'hidden'; hiddenReason: string | null; hiddenBy: string | null; hiddenAt: Date | null },
): Promise<CommentRow | undefined> {
  const [row] = await db
    .update(comments)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(comments.id, id))
    .returning();
  return row;
}

/** Closes the comment's open reports: a moderator has acted on them. */
export async function resolveReports(db: Executor, id: string): Promise<number> {
  const rows = await db
    .update(commentReports)
    .set({ resolvedAt: new Date() })
    .where(and(eq(commentReports.commentId, id), isNull(commentReports.resolvedAt)))
    .returning({ userId: commentReports.userId });
  await db.update(comments).set({ openReports: 0 }).where(eq(comments.id, id));
  return rows.length;
}

// Moderation

export interface ModerationKey {
  openReports: number;
  createdAt: Date;
  id: string;
}

const moderationColumns = {
  comment: comments,
  titleName: titles.name,
  titleSlug: titles.slug,
  displayName: users.displayName,
  profileName: profiles.name,
  reasons: sql<
    ReportReason[]
  >`array(select distinct r.reason from ${commentReports} r where r.comment_id = ${comments.id} and r.resolved_at is null order by r.reason)`,
};

function moderationQuery(db: Executor) {
  return db
    .select(moderationColumns)
    .from(comments)
    .innerJoin(titles, eq(titles.id, comments.titleId))
    .innerJoin(users, eq(users.id, comments.userId))
    .innerJoin(profiles, eq(profiles.id, comments.profileId));
}

/** The moderation queue: the most reported first, then the newest. */
export async function listForModeration(
  db: Executor,
  filter: { status?: 'visible' | 'hidden'; reported?: boolean; after?: ModerationKey; limit: number },
) {
  const after = filter.after
    ? sql`(${comments.openReports}, ${comments.createdAt}, ${comments.id}) < (${filter.after.openReports}::int, ${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`
    : undefined;
  return moderationQuery(db)
    .where(
      and(
        filter.status ? eq(comments.status, filter.status) : undefined,
        filter.reported ? gt(comments.openReports, 0) : undefined,
        after,
      ),
    )
    .orderBy(desc(comments.openReports), desc(comments.createdAt), desc(comments.id))
    .limit(filter.limit);
}

export async function findForModeration(db: Executor, id: string) {
  const [row] = await moderationQuery(db).where(eq(comments.id, id)).limit(1);
  return row;
}
