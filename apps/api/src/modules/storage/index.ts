import { AppError, type ErrorCode } from '@kush/contracts';
import { type LocalStorage, RangeNotSatisfiableError, StorageError } from '@kush/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Storage errors carry an HTTP status; the API answers with the matching stable code. */
const STATUS_CODES: Record<number, ErrorCode> = {
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  416: 'RANGE_NOT_SATISFIABLE',
};

/**
 * The local driver's signed URLs, served by the API (the embedded default). With S3/R2 these
 * routes are not mounted: browsers talk to the bucket or CDN directly. Access is decided by the
 * URL's signature alone, so these routes need no session.
 */
export async function localStorageRoutes(app: FastifyInstance, { storage }: { storage: LocalStorage }): Promise<void> {
  // Upload bodies are streamed straight to disk: no parser reads them and no body limit applies.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const query = (url: string) => new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const fail = (reply: FastifyReply, err: unknown): never => {
    if (err instanceof RangeNotSatisfiableError) void reply.header('content-range', `bytes */${err.size}`);
    if (err instanceof StorageError) {
      const code = STATUS_CODES[err.status] ?? 'BAD_REQUEST';
      throw new AppError(code, err.status === 403 ? 'This link is not valid or has expired.' : err.message);
    }
    throw err;
  };

  app.get<{ Params: { '*': string } }>(
    '/objects/*',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      try {
        const object = await storage.verifyAndReadObject(
          request.params['*'],
          query(request.url),
          request.headers.range,
        );
        return reply.code(object.status).headers(object.headers).send(object.stream);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.put<{ Params: { '*': string } }>(
    '/objects/*',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      try {
        const written = await storage.verifyAndWriteObject(request.params['*'], query(request.url), request.raw, {
          contentLength: request.headers['content-length'],
          contentType: request.headers['content-type'],
        });
        return reply.code(200).headers(written.headers).send();
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.put<{ Params: { uploadId: string; partNumber: string } }>(
    '/uploads/:uploadId/parts/:partNumber',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      try {
        const written = await storage.verifyAndWritePart(
          request.params.uploadId,
          request.params.partNumber,
          query(request.url),
          request.raw,
          { contentLength: request.headers['content-length'] },
        );
        return reply.code(200).headers(written.headers).send();
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
