import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { createImagePresenter } from '../catalog/images.presenter';
import type { ProfileUnlocks } from '../profiles/profile-lock';
import { CommentModerationService, CommentsService } from './comments/comments.service';
import { commentsRoutes } from './comments/comments.routes';
import { HistoryService } from './history/history.service';
import { historyRoutes } from './history/history.routes';
import { MyListService } from './my-list/my-list.service';
import { myListRoutes } from './my-list/my-list.routes';
import { NotificationsService } from './notifications/notifications.service';
import { notificationPreferencesRoutes, notificationsRoutes } from './notifications/notifications.routes';
import { ProfilesService } from './profiles/profiles.service';
import { profilesRoutes } from './profiles/profiles.routes';
import { RatingsService } from './ratings/ratings.service';
import { ratingsRoutes } from './ratings/ratings.routes';

export * from './services';

/** What every response to a signed-in viewer carries from this module. */
export const PERSONAL_CACHE_CONTROL = 'private, no-store';

export interface ViewerModuleOptions {
  ctx: AppContext;
  unlocks: ProfileUnlocks;
}

/**
 * Viewer engagement: profiles, My List, watch history and continue watching, ratings, comments
 * (with staff moderation) and notifications. Profile-scoped routes live under
 * /api/v1/profiles/:profileId and answer 404 for another account's profile.
 */
export async function viewerModule(app: FastifyInstance, { ctx, unlocks }: ViewerModuleOptions): Promise<void> {
  const db = ctx.db.db;
  const notifications = new NotificationsService({ db, queue: ctx.infra.queue, webUrl: ctx.config.WEB_URL });
  const profiles = '/api/v1/profiles';
  const images = createImagePresenter(ctx);

  // Everything answered to a signed-in account here is personal (its profiles, lists, history,
  // ratings, notifications; "mine" on comments): no shared cache (CDN, proxy) may keep it, and
  // nothing should linger on a shared device either.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.principal && !reply.hasHeader('cache-control'))
      void reply.header('cache-control', PERSONAL_CACHE_CONTROL);
    return payload;
  });

  await app.register(profilesRoutes, {
    prefix: profiles,
    profiles: new ProfilesService(db, ctx.infra.rateLimiter, notifications),
    unlocks,
    cookieSecure: ctx.config.cookieSecure,
  });
  await app.register(myListRoutes, { prefix: profiles, myList: new MyListService(db, images) });
  await app.register(historyRoutes, { prefix: profiles, history: new HistoryService(db, images) });
  await app.register(ratingsRoutes, { prefix: profiles, ratings: new RatingsService(db, images) });
  await app.register(notificationsRoutes, { prefix: profiles, notifications });
  await app.register(notificationPreferencesRoutes, { prefix: '/api/v1/me', notifications });
  await app.register(commentsRoutes, {
    comments: new CommentsService(db, ctx.infra.rateLimiter),
    moderation: new CommentModerationService(db),
  });
}
