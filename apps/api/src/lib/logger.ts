import type { FastifyServerOptions } from 'fastify';
import type { LevelWithSilent } from 'pino';

const SECRET_PARAMS = /([?&](?:token|refreshToken|signature|sig|key|code|password)=)[^&]*/gi;

/** Playback tokens travel in the path, so relative playlist URLs inherit them. */
const STREAM_TOKEN = /(\/api\/v1\/stream\/)[^/?]+/;

/** Hides secrets from logged URLs: signed-URL and emailed-token parameters, playback tokens. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]').replace(STREAM_TOKEN, '$1[redacted]');
}

/** pino options: structured JSON, request ids, and passwords, tokens and cookies redacted. */
export function loggerOptions(level: LevelWithSilent, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.refreshToken',
        '*.accessToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: {
        method: string;
        url: string;
        hostname?: string;
        ip?: string;
        id?: string;
        headers?: Record<string, unknown>;
      }) {
        return {
          method: req.method,
          url: redactUrl(req.url),
          hostname: req.hostname,
          remoteAddress: req.ip,
          userAgent: req.headers?.['user-agent'],
        };
      },
    },
  };
}
