import {
  CreatePersonBody,
  IdParams,
  PersonListQuery,
  StaffPerson,
  StaffPersonPage,
  UpdatePersonBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PeopleService } from './people.service';
import { NoContent, staffConfig as config, staffErrors as errors, staffOf } from './staff-routes';

const tags = ['admin: catalog'];

/** Cast and crew, for staff. Credits are set on the title. */
export const adminPeopleRoutes: FastifyPluginAsyncZod<{ people: PeopleService }> = async (app, { people }) => {
  app.get(
    '',
    {
      config,
      schema: {
        tags,
        summary: 'People, newest first',
        querystring: PersonListQuery,
        response: { 200: StaffPersonPage, ...errors },
      },
    },
    async (request) => people.list(request.query),
  );

  app.post(
    '',
    {
      config,
      schema: { tags, summary: 'Add a person', body: CreatePersonBody, response: { 201: StaffPerson, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await people.create(request.body, staffOf(request))),
  );

  app.get(
    '/:id',
    { config, schema: { tags, summary: 'One person', params: IdParams, response: { 200: StaffPerson, ...errors } } },
    async (request) => people.get(request.params.id),
  );

  app.patch(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a person',
        params: IdParams,
        body: UpdatePersonBody,
        response: { 200: StaffPerson, ...errors },
      },
    },
    async (request) => people.update(request.params.id, request.body, staffOf(request)),
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a person and their credits',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await people.remove(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );
};
