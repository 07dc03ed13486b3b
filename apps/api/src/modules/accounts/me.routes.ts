import { ChangePasswordBody, ErrorBody, IdParams, Me, NoContent, Session } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toUser } from './accounts.mapper';
import type { AuthService } from './auth.service';
import type { SessionsService } from './sessions.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody };

export const meRoutes: FastifyPluginAsyncZod<{ auth: AuthService; sessions: SessionsService }> = async (
  app,
  { auth, sessions },
) => {
  app.get(
    '',
    {
      config: { auth: 'account:self' },
      schema: { tags: ['me'], summary: 'The signed-in account', response: { 200: Me, ...errors } },
    },
    async (request) => {
      const p = request.principal!;
      return { ...toUser(p.user), permissions: [...p.permissions].sort() };
    },
  );

  app.post(
    '/password',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['me'],
        summary: 'Change password; signs out the other devices',
        body: ChangePasswordBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.principal!, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/sessions',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['me'],
        summary: 'Signed-in devices',
        response: { 200: z.object({ items: z.array(Session) }), ...errors },
      },
    },
    async (request) => ({ items: await sessions.list(request.principal!) }),
  );

  app.delete(
    '/sessions/:id',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['me'],
        summary: 'Sign out one device',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await sessions.revoke(request.principal!, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/sessions',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['me'],
        summary: 'Sign out every device but this one',
        response: { 200: z.object({ revoked: z.number().int() }), ...errors },
      },
    },
    async (request) => ({ revoked: await sessions.revokeOthers(request.principal!) }),
  );
};
