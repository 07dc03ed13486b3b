import {
  CreateEpisodeBody,
  CreateSeasonBody,
  IdParams,
  StaffEpisode,
  StaffSeason,
  UpdateEpisodeBody,
  UpdateSeasonBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SeriesService } from './series.service';
import { NoContent, staffConfig as config, staffErrors as errors, staffOf } from './staff-routes';

const tags = ['admin: catalog'];

/** Seasons and episodes of series, for staff. */
export const adminSeriesRoutes: FastifyPluginAsyncZod<{ series: SeriesService }> = async (app, { series }) => {
  app.post(
    '/titles/:id/seasons',
    {
      config,
      schema: {
        tags,
        summary: 'Add a season to a series',
        params: IdParams,
        body: CreateSeasonBody,
        response: { 201: StaffSeason, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await series.createSeason(request.params.id, request.body, staffOf(request))),
  );

  app.patch(
    '/seasons/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a season',
        params: IdParams,
        body: UpdateSeasonBody,
        response: { 200: StaffSeason, ...errors },
      },
    },
    async (request) => series.updateSeason(request.params.id, request.body, staffOf(request)),
  );

  app.delete(
    '/seasons/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a season and its episodes',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await series.removeSeason(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/seasons/:id/episodes',
    {
      config,
      schema: {
        tags,
        summary: 'Add an episode to a season',
        params: IdParams,
        body: CreateEpisodeBody,
        response: { 201: StaffEpisode, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await series.createEpisode(request.params.id, request.body, staffOf(request))),
  );

  app.patch(
    '/episodes/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an episode',
        params: IdParams,
        body: UpdateEpisodeBody,
        response: { 200: StaffEpisode, ...errors },
      },
    },
    async (request) => series.updateEpisode(request.params.id, request.body, staffOf(request)),
  );

  app.delete(
    '/episodes/:id',
    {
      config,
      schema: { tags, summary: 'Delete an episode', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (request, reply) => {
      await series.removeEpisode(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );
};
