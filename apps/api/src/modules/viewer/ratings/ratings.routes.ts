import { ViewerPageQuery, ProfileParams, ProfileTitleParams, Rating, RatingBody, RatingPage } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, NoContent } from '../routes-common';
import type { RatingsService } from './ratings.service';

export const ratingsRoutes: FastifyPluginAsyncZod<{ ratings: RatingsService }> = async (app, { ratings }) => {
  app.get(
    '/:profileId/ratings',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['ratings'],
        summary: "The profile's ratings, most recent first",
        params: ProfileParams,
        querystring: ViewerPageQuery,
        response: { 200: RatingPage, ...errors },
      },
    },
    async (request) => ratings.list(request.principal!.userId, request.params.profileId, request.query),
  );

  app.get(
    '/:profileId/ratings/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['ratings'],
        summary: "The profile's rating of a title",
        params: ProfileTitleParams,
        response: { 200: Rating, ...errors },
      },
    },
    async (request) => ratings.get(request.principal!.userId, request.params.profileId, request.params.titleId),
  );

  app.put(
    '/:profileId/ratings/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['ratings'],
        summary: 'Rate a title 1–5 (replaces an earlier rating)',
        params: ProfileTitleParams,
        body: RatingBody,
        response: { 200: Rating, ...errors },
      },
    },
    async (request) =>
      ratings.rate(request.principal!.userId, request.params.profileId, request.params.titleId, request.body.score),
  );

  app.delete(
    '/:profileId/ratings/:titleId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['ratings'],
        summary: 'Remove the rating',
        params: ProfileTitleParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await ratings.remove(request.principal!.userId, request.params.profileId, request.params.titleId);
      return reply.code(204).send(null);
    },
  );
};
