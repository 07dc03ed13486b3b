import { ErrorBody, IdParams, SetRolesBody, SuspendBody, User, UserListQuery, UserPage } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { ActionContext, UsersService } from './users.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const adminUsersRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  const ctx = (request: FastifyRequest): ActionContext => ({
    actor: request.principal!,
    requestId: request.id,
    ip: request.ip,
  });

  app.get(
    '',
    {
      config: { auth: 'users:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Search accounts',
        querystring: UserListQuery,
        response: { 200: UserPage, ...errors },
      },
    },
    async (request) => users.list(request.query),
  );

  app.get(
    '/:id',
    {
      config: { auth: 'users:manage' },
      schema: { tags: ['admin'], summary: 'One account', params: IdParams, response: { 200: User, ...errors } },
    },
    async (request) => users.get(request.params.id),
  );

  app.put(
    '/:id/roles',
    {
      config: { auth: 'users:manage' },
      schema: {
        tags: ['admin'],
        summary: "Replace an account's roles",
        params: IdParams,
        body: SetRolesBody,
        response: { 200: User, ...errors },
      },
    },
    async (request) => users.setRoles(request.params.id, request.body.roles, ctx(request)),
  );

  app.post(
    '/:id/suspend',
    {
      config: { auth: 'users:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Suspend an account and end its sessions',
        params: IdParams,
        body: SuspendBody,
        response: { 200: User, ...errors },
      },
    },
    async (request) => users.suspend(request.params.id, request.body.reason, ctx(request)),
  );

  app.post(
    '/:id/reinstate',
    {
      config: { auth: 'users:manage' },
      schema: { tags: ['admin'], summary: 'Lift a suspension', params: IdParams, response: { 200: User, ...errors } },
    },
    async (request) => users.reinstate(request.params.id, ctx(request)),
  );
};
