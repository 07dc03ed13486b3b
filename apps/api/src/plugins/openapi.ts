import { createHash } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the zod route schemas, served at /api/openapi.json and browsable at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kush Films API',
        version: '1.0.0',
        description:
          'Streaming platform API. Browsers authenticate with httpOnly cookies through the same-origin /api proxy; ' +
          'other clients send `Authorization: Bearer <access token>` (ask for `tokenDelivery: "body"` at sign-in). ' +
          'Errors always have the shape `{ "error": { "code", "message", "details?", "requestId" } }`.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'kf_at' },
        },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const auth = input.route.config?.auth;
      if (auth && auth !== 'public') {
        const security = [{ bearerAuth: [] }, { cookieAuth: [] }];
        (out.schema as Record<string, unknown>).security = auth === 'optional' ? [...security, {}] : security;
      }
      return out;
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  // The document never changes while the process runs: serialise it once and let clients revalidate.
  let cached: { body: string; etag: string } | undefined;
  app.get('/api/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    if (!cached) {
      const body = JSON.stringify(app.swagger());
      cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    void reply.header('etag', cached.etag).header('cache-control', 'public, max-age=300');
    if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(cached.body);
  });
}
