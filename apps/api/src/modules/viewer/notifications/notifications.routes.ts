import {
  NotificationListQuery,
  NotificationPage,
  NotificationParams,
  NotificationPreferences,
  ProfileParams,
  UnreadCount,
  UpdateNotificationPreferencesBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, NoContent } from '../routes-common';
import type { NotificationsService } from './notifications.service';

/** Under /api/v1/profiles: a profile sees its own notifications and its account's. */
export const notificationsRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  app.get(
    '/:profileId/notifications',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'Notifications, newest first, with the unread count',
        params: ProfileParams,
        querystring: NotificationListQuery,
        response: { 200: NotificationPage, ...errors },
      },
    },
    async (request) => notifications.list(request.principal!.userId, request.params.profileId, request.query),
  );

  app.get(
    '/:profileId/notifications/unread-count',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'How many notifications are unread (for the bell badge)',
        params: ProfileParams,
        response: { 200: UnreadCount, ...errors },
      },
    },
    async (request) => notifications.unreadCount(request.principal!.userId, request.params.profileId),
  );

  app.post(
    '/:profileId/notifications/:notificationId/read',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification as read',
        params: NotificationParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const { profileId, notificationId } = request.params;
      await notifications.markRead(request.principal!.userId, profileId, notificationId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:profileId/notifications/read-all',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark every notification the profile sees as read',
        params: ProfileParams,
        response: { 200: z.object({ updated: z.number().int() }), ...errors },
      },
    },
    async (request) => notifications.markAllRead(request.principal!.userId, request.params.profileId),
  );
};

/** Under /api/v1/me: preferences belong to the account, since email goes to the account. */
export const notificationPreferencesRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  app.get(
    '/notification-preferences',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'In-app and email switches for each kind of notification',
        response: { 200: NotificationPreferences, ...errors },
      },
    },
    async (request) => notifications.preferences(request.principal!.userId),
  );

  app.put(
    '/notification-preferences',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['notifications'],
        summary: 'Change some switches; the others keep their values',
        body: UpdateNotificationPreferencesBody,
        response: { 200: NotificationPreferences, ...errors },
      },
    },
    async (request) => notifications.updatePreferences(request.principal!.userId, request.body.items),
  );
};
