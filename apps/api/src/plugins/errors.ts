import { AppError, type ErrorBody } from '@kush/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/** Renders every failure in one format; 5xx messages are generic and nothing internal leaks. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      return send(reply, request, err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const details = err.validation.map((v) => ({
        in: where,
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'is invalid',
      }));
      const first = details[0];
      const message = first
        ? `Invalid ${where}: ${first.path ? `${first.path} ` : ''}${first.message}`
        : `Invalid ${where}`;
      return send(reply, request, 400, 'VALIDATION_FAILED', message, details);
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return send(reply, request, 500, 'INTERNAL', 'Something went wrong on our side.');
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, request, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, request, 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE', 'This content type is not supported here.');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, request, 400, 'BAD_REQUEST', 'The Content-Length header does not match the body.');
      default:
        break;
    }
    if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
      return send(reply, request, 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (bad headers, bad URL encoding…): keep the status, not the internals.
      return send(
        reply,
        request,
        status,
        status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
        'The request could not be processed.',
      );
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, request, 500, 'INTERNAL', 'Something went wrong on our side.');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
  );
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  const body: ErrorBody = { error: { code, message, requestId: request.id } };
  if (details !== undefined) body.error.details = details;
  // Bypass response schemas: error bodies have their own fixed shape.
  return reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}
