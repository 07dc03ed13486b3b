import {
  MyListItem,
  MyListPage,
  MyListStatus,
  ViewerPageQuery,
  ProfileParams,
  ProfileTitleParams,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, NoContent } from '../routes-common';
import type { MyListService } from './my-list.service';

export const myListRoutes: FastifyPluginAsyncZod<{ myList: MyListService }> = async (app, { myList }) => {
  app.get(
    '/:profileId/list',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['my-list'],
        summary: 'My List, most recently added first',
        params: ProfileParams,
        querystring: ViewerPageQuery,
        response: { 200: MyListPage, ...errors },
      },
    },
    async (request) => myList.list(request.principal!.userId, request.params.profileId, request.query),
  );

  app.get(
    '/:profileId/list/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['my-list'],
        summary: 'Whether a title is in My List',
        params: ProfileTitleParams,
        response: { 200: MyListStatus, ...errors },
      },
    },
    async (request) => myList.status(request.principal!.userId, request.params.profileId, request.params.titleId),
  );

  app.put(
    '/:profileId/list/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['my-list'],
        summary: 'Add a title to My List (adding again keeps its place)',
        params: ProfileTitleParams,
        response: { 200: MyListItem, ...errors },
      },
    },
    async (request) => myList.add(request.principal!.userId, request.params.profileId, request.params.titleId),
  );

  app.delete(
    '/:profileId/list/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['my-list'],
        summary: 'Remove a title from My List',
        params: ProfileTitleParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await myList.remove(request.principal!.userId, request.params.profileId, request.params.titleId);
      return reply.code(204).send(null);
    },
  );
};
