import {
  adCampaigns,
  adCreatives,
  adDecisionDays,
  adEvents,
  categories,
  type Executor,
  genres,
  titleCategories,
  titleGenres,
  titles,
  videos,
} from '@kush/db';
import { and, asc, count, countDistinct, desc, eq, gt, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';

export type CampaignRow = typeof adCampaigns.$inferSelect;
export type CreativeRow = typeof adCreatives.$inferSelect;
export type AdEventRow = typeof adEvents.$inferInsert;

export async function insertCampaign(db: Executor, values: typeof adCampaigns.$inferInsert): Promise<CampaignRow> {
  const [row] = await db.insert(adCampaigns).values(values).returning();
  return row!;
}

export async function updateCampaign(
  db: Executor,
  id: string,
  values: Partial<typeof adCampaigns.$inferInsert>,
): Promise<CampaignRow | undefined> {
  const [row] = await db
    .update(adCampaigns)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(adCampaigns.id, id))
    .returning();
  return row;
}

export async function findCampaign(db: Executor, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(adCampaigns).where(eq(adCampaigns.id, id)).limit(1);
  return row;
}

export async function listCampaigns(
  db: Executor,
  filter: { status?: CampaignRow['status']; after?: { createdAt: Date; id: string }; limit: number },
): Promise<CampaignRow[]> {
  return db
    .select()
    .from(adCampaigns)
    .where(
      and(
        filter.status ? eq(adCampaigns.status, filter.status) : undefined,
        filter.after
          ? or(
              lt(adCampaigns.createdAt, filter.after.createdAt),
              and(eq(adCampaigns.createdAt, filter.after.createdAt), lt(adCampaigns.id, filter.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(adCampaigns.createdAt), desc(adCampaigns.id))
    .limit(filter.limit);
}

export async function insertCreative(db: Executor, values: typeof adCreatives.$inferInsert): Promise<CreativeRow> {
  const [row] = await db.insert(adCreatives).values(values).returning();
  return row!;
}

export async function updateCreative(
  db: Executor,
  campaignId: string,
  id: string,
  values: Partial<typeof adCreatives.$inferInsert>,
): Promise<CreativeRow | undefined> {
  const [row] = await db
    .update(adCreatives)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(adCreatives.id, id), eq(adCreatives.campaignId, campaignId)))
    .returning();
  return row;
}

/** Deletes a creative that never served (still pending); false when it is not (or no longer) pending. */
export async function deletePendingCreative(db: Executor, campaignId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(adCreatives)
    .where(and(eq(adCreatives.id, id), eq(adCreatives.campaignId, campaignId), eq(adCreatives.status, 'pending')))
    .returning({ id: adCreatives.id });
  return rows.length > 0;
}

export async function findCreative(db: Executor, id: string): Promise<CreativeRow | undefined> {
  const [row] = await db.select().from(adCreatives).where(eq(adCreatives.id, id)).limit(1);
  return row;
}

export async function listCreatives(db: Executor, campaignId: string): Promise<CreativeRow[]> {
  return db
    .select()
    .from(adCreatives)
    .where(eq(adCreatives.campaignId, campaignId))
    .orderBy(asc(adCreatives.createdAt), asc(adCreatives.id));
}

export async function findAdVideo(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: videos.id,
      purpose: videos.purpose,
      status: videos.status,
      durationSeconds: videos.durationSeconds,
      outputPrefix: videos.outputPrefix,
      manifest: videos.manifest,
    })
    .from(videos)
    .where(eq(videos.id, id))
    .limit(1);
  return row;
}

/** Campaigns that may serve at `now` (or start within `horizon`), with their active creatives and ready videos. */
export async function loadLiveCampaigns(db: Executor, now: Date) {
  const campaigns = await db
    .select()
    .from(adCampaigns)
    .where(and(eq(adCampaigns.status, 'active'), lte(adCampaigns.startsAt, now), gt(adCampaigns.endsAt, now)));
  if (campaigns.length === 0) return { campaigns, creatives: [], delivered: new Map<string, number>() };
  const ids = campaigns.map((c) => c.id);
  const [creatives, delivered] = await Promise.all([
    db
      .select({
        creative: adCreatives,
        video: {
          status: videos.status,
          outputPrefix: videos.outputPrefix,
          manifest: videos.manifest,
          durationSeconds: videos.durationSeconds,
        },
      })
      .from(adCreatives)
      .leftJoin(videos, eq(videos.id, adCreatives.videoId))
      .where(and(inArray(adCreatives.campaignId, ids), eq(adCreatives.status, 'active'))),
    db
      .select({ campaignId: adEvents.campaignId, n: count() })
      .from(adEvents)
      .where(and(inArray(adEvents.campaignId, ids), eq(adEvents.event, 'impression')))
      .groupBy(adEvents.campaignId),
  ]);
  return { campaigns, creatives, delivered: new Map(delivered.map((d) => [d.campaignId, Number(d.n)])) };
}

export interface TitleContext {
  maturity: string;
  audioLanguages: string[];
  genres: string[];
  categories: string[];
}

export async function findTitleContext(db: Executor, titleId: string): Promise<TitleContext | undefined> {
  const [title] = await db
    .select({ maturity: titles.maturityRating, audioLanguages: titles.audioLanguages })
    .from(titles)
    .where(eq(titles.id, titleId))
    .limit(1);
  if (!title) return undefined;
  const [g, c] = await Promise.all([
    db
      .select({ slug: genres.slug })
      .from(titleGenres)
      .innerJoin(genres, eq(genres.id, titleGenres.genreId))
      .where(eq(titleGenres.titleId, titleId)),
    db
      .select({ slug: categories.slug })
      .from(titleCategories)
      .innerJoin(categories, eq(categories.id, titleCategories.categoryId))
      .where(eq(titleCategories.titleId, titleId)),
  ]);
  return {
    maturity: title.maturity,
    audioLanguages: title.audioLanguages,
    genres: g.map((x) => x.slug),
    categories: c.map((x) => x.slug),
  };
}

/** True when this event was recorded now; false when the serving id already had it. */
export async function insertEvent(db: Executor, values: AdEventRow): Promise<boolean> {
  const rows = await db.insert(adEvents).values(values).onConflictDoNothing().returning({ id: adEvents.servingId });
  return rows.length === 1;
}

export async function hasImpression(db: Executor, servingId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: adEvents.servingId })
    .from(adEvents)
    .where(and(eq(adEvents.servingId, servingId), eq(adEvents.event, 'impression')))
    .limit(1);
  return !!row;
}

export async function addDecisionCounts(
  db: Executor,
  rows: { day: string; placement: string; campaignKey: string; decisions: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(adDecisionDays)
    .values(rows)
    .onConflictDoUpdate({
      target: [adDecisionDays.day, adDecisionDays.placement, adDecisionDays.campaignKey],
      set: { decisions: sql`${adDecisionDays.decisions} + excluded.decisions` },
    });
}

/** The Kampala calendar day of an event, as reports count days. */
const dayOf = sql<string>`to_char(${adEvents.occurredAt} AT TIME ZONE 'Africa/Kampala', 'YYYY-MM-DD')`;

export async function campaignEventsByDay(db: Executor, campaignId: string, from: Date, to: Date) {
  const range = and(eq(adEvents.campaignId, campaignId), gte(adEvents.occurredAt, from), lt(adEvents.occurredAt, to));
  const [events, reach, total] = await Promise.all([
    db
      .select({ day: dayOf, event: adEvents.event, n: count() })
      .from(adEvents)
      .where(range)
      .groupBy(dayOf, adEvents.event),
    db
      .select({ day: dayOf, n: countDistinct(adEvents.viewerKey) })
      .from(adEvents)
      .where(and(range, eq(adEvents.event, 'impression')))
      .groupBy(dayOf),
    db
      .select({ n: countDistinct(adEvents.viewerKey) })
      .from(adEvents)
      .where(and(range, eq(adEvents.event, 'impression'))),
  ]);
  return {
    events: events.map((e) => ({ day: e.day, event: e.event, n: Number(e.n) })),
    reach: new Map(reach.map((r) => [r.day, Number(r.n)])),
    totalReach: Number(total[0]?.n ?? 0),
  };
}

export async function decisionsByDay(
  db: Executor,
  filter: { campaignKey?: string; from: string; to: string },
): Promise<{ day: string; placement: string; campaignKey: string; decisions: number }[]> {
  return db
    .select({
      day: adDecisionDays.day,
      placement: adDecisionDays.placement,
      campaignKey: adDecisionDays.campaignKey,
      decisions: adDecisionDays.decisions,
    })
    .from(adDecisionDays)
    .where(
      and(
        filter.campaignKey ? eq(adDecisionDays.campaignKey, filter.campaignKey) : undefined,
        gte(adDecisionDays.day, filter.from),
        lte(adDecisionDays.day, filter.to),
      ),
    )
    .orderBy(asc(adDecisionDays.day), asc(adDecisionDays.placement));
}

export async function countEvents(db: Executor, filter: { campaignId?: string; event?: AdEventRow['event'] }) {
  const [row] = await db
    .select({ n: count() })
    .from(adEvents)
    .where(
      and(
        filter.campaignId ? eq(adEvents.campaignId, filter.campaignId) : undefined,
        filter.event ? eq(adEvents.event, filter.event) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}
