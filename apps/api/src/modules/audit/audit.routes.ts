import { AuditPage, AuditQuery, ErrorBody } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuditService } from './audit.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '',
    {
      config: { auth: 'audit:read' },
      schema: {
        tags: ['admin'],
        summary: 'The audit log: who changed what, when, before and after',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => audit.list(request.query),
  );
};
