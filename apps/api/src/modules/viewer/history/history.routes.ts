import {
  ContinueWatching,
  ContinueWatchingQuery,
  HistoryEntryParams,
  HistoryPage,
  ViewerPageQuery,
  ProfileParams,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, NoContent } from '../routes-common';
import type { HistoryService } from './history.service';

export const historyRoutes: FastifyPluginAsyncZod<{ history: HistoryService }> = async (app, { history }) => {
  app.get(
    '/:profileId/history',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['history'],
        summary: 'Watch history, most recent first',
        params: ProfileParams,
        querystring: ViewerPageQuery,
        response: { 200: HistoryPage, ...errors },
      },
    },
    async (request) => history.list(request.principal!.userId, request.params.profileId, request.query),
  );

  app.delete(
    '/:profileId/history/:videoId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['history'],
        summary: 'Remove one entry from history (it comes back if the video is played again)',
        params: HistoryEntryParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await history.hide(request.principal!.userId, request.params.profileId, request.params.videoId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/:profileId/history',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['history'],
        summary: 'Clear the whole history',
        params: ProfileParams,
        response: { 200: z.object({ hidden: z.number().int() }), ...errors },
      },
    },
    async (request) => history.hideAll(request.principal!.userId, request.params.profileId),
  );

  app.get(
    '/:profileId/continue-watching',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['history'],
        summary: 'Started but unfinished videos, one per title, most recent first',
        params: ProfileParams,
        querystring: ContinueWatchingQuery,
        response: { 200: ContinueWatching, ...errors },
      },
    },
    async (request) =>
      history.continueWatching(request.principal!.userId, request.params.profileId, request.query.limit),
  );
};
