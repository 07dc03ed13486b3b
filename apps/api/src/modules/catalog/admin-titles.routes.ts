import {
  CreateTitleBody,
  IdParams,
  SetTitleStatusBody,
  StaffTitle,
  StaffTitlePage,
  TitleListQuery,
  UpdateTitleBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoContent, staffConfig as config, staffErrors as errors, staffOf } from './staff-routes';
import type { TitlesService } from './titles.service';

const tags = ['admin: catalog'];

/**
 * Titles for staff. Posters and backdrops are not accepted here: the image upload flow
 * (admin-images.routes.ts, …/images/:kind) sets them.
 */
export const adminTitlesRoutes: FastifyPluginAsyncZod<{ titles: TitlesService }> = async (app, { titles }) => {
  app.get(
    '',
    {
      config,
      schema: {
        tags,
        summary: 'Titles in any status, newest first',
        querystring: TitleListQuery,
        response: { 200: StaffTitlePage, ...errors },
      },
    },
    async (request) => titles.list(request.query),
  );

  app.post(
    '',
    {
      config,
      schema: {
        tags,
        summary: 'Create a film or a series (as a draft)',
        body: CreateTitleBody,
        response: { 201: StaffTitle, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await titles.create(request.body, staffOf(request))),
  );

  app.get(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One title with its relations',
        params: IdParams,
        response: { 200: StaffTitle, ...errors },
      },
    },
    async (request) => titles.get(request.params.id),
  );

  app.patch(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a title; genreIds and credits replace the current ones',
        params: IdParams,
        body: UpdateTitleBody,
        response: { 200: StaffTitle, ...errors },
      },
    },
    async (request) => titles.update(request.params.id, request.body, staffOf(request)),
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a draft or archived title',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await titles.remove(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/status',
    {
      config,
      schema: {
        tags,
        summary: 'Publish, schedule, unpublish or archive a title',
        description:
          'draft → scheduled (publishAt in the future) → published → archived. A scheduled title goes live at publishAt.',
        params: IdParams,
        body: SetTitleStatusBody,
        response: { 200: StaffTitle, ...errors },
      },
    },
    async (request) => titles.setStatus(request.params.id, request.body, staffOf(request)),
  );
};
