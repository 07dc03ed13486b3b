import { AppError, ErrorBody } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMMUTABLE, type PublicImages } from './images.service';

/** How long a browser or CDN may keep the redirect to a (daily re-signed, week-long) S3 URL. */
const REDIRECT_CACHE_CONTROL = 'public, max-age=3600';

/**
 * The variants of public pictures, at the URLs catalog responses carry on the local driver:
 * `/api/v1/catalog/images/<storage key without images/>`. On S3 the same URLs redirect to a
 * presigned bucket URL (catalog responses already point at the bucket directly).
 */
export const publicImagesRoutes: FastifyPluginAsyncZod<{ images: PublicImages }> = async (app, { images }) => {
  app.get(
    '/images/*',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['catalog'],
        summary: "One variant of a public title's poster or backdrop, or of a person's photo",
        description:
          'The path is what catalog responses link to, e.g. `titles/<titleId>/poster/<hash>/w320.webp`. Only ' +
          'pictures of live titles (and of people credited on one) exist here; the bytes never change, so they are ' +
          'cached for a year.',
        params: z.object({ '*': z.string().max(512).describe('the picture variant, as linked from the catalog') }),
        response: {
          200: z.any().describe('the picture (image/webp or image/jpeg)'),
          302: z.null().describe('S3 storage: redirect to the bucket'),
          304: z.null().describe('not modified'),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      let answer;
      try {
        answer = await images.read(request.params['*']);
      } catch (err) {
        // A title published later must show its pictures at once: never let a cache keep the 404.
        if (err instanceof AppError)
          throw new AppError(err.code, err.message, err.details, { 'cache-control': 'no-store' });
        throw err;
      }
      if (answer.kind === 'redirect') {
        return reply.header('cache-control', REDIRECT_CACHE_CONTROL).redirect(answer.url, 302);
      }
      const { object, contentType } = answer;
      const etag = object.etag ? `"${object.etag}"` : undefined;
      void reply.header('cache-control', IMMUTABLE).header('content-type', contentType);
      if (etag) void reply.header('etag', etag);
      if (etag && request.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        object.stream.destroy();
        return reply.code(304).send(null);
      }
      return reply.header('content-length', String(object.contentLength)).send(object.stream);
    },
  );
};
