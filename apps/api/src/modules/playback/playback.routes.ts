import {
  AppError,
  ErrorBody,
  HeartbeatBody,
  NoContent,
  Playback,
  PlaybackBody,
  StopPlaybackBody,
} from '@kush/contracts';
import { ObjectNotFoundError, RangeNotSatisfiableError } from '@kush/storage';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROFILE_HEADER } from '../profiles/profile-context';
import type { PlaybackService } from './playback.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const ProfileHeaders = z.object({ [PROFILE_HEADER]: z.uuid().optional() });

export const playbackRoutes: FastifyPluginAsyncZod<{ playback: PlaybackService }> = async (app, { playback }) => {
  app.post(
    '/playback',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['playback'],
        summary: 'Start playing a title (or an episode): checks access and returns a signed master playlist URL',
        headers: ProfileHeaders,
        body: PlaybackBody,
        response: { 200: Playback, ...errors },
      },
    },
    async (request) =>
      playback.start(
        request.principal,
        request.headers[PROFILE_HEADER] ?? null,
        request.body,
        new Date(),
        request.headers['user-agent'],
      ),
  );

  app.post(
    '/playback/heartbeat',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['playback'],
        summary: 'Save the playback position every few seconds; late, older saves never move it back',
        headers: z.object({ [PROFILE_HEADER]: z.uuid() }),
        body: HeartbeatBody,
        response: { 200: z.object({ applied: z.boolean(), positionSeconds: z.number() }), ...errors },
      },
    },
    async (request) => {
      const saved = await playback.heartbeat(
        request.principal!,
        request.headers[PROFILE_HEADER],
        request.body,
        request.headers['user-agent'],
      );
      return { applied: saved.applied, positionSeconds: saved.positionSeconds };
    },
  );

  app.post(
    '/playback/stop',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['playback'],
        summary: 'The player stopped: the stream no longer counts towards the concurrent-stream limit',
        body: StopPlaybackBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await playback.stop(request.principal!, request.body.token);
      return reply.code(204).send(null);
    },
  );

  app.get<{ Params: { token: string; '*': string } }>(
    '/stream/:token/*',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      try {
        const answer = await playback.stream(request.params.token, request.params['*'], request.headers.range);
        switch (answer.kind) {
          case 'text':
            return reply.type(answer.contentType).header('cache-control', answer.cacheControl).send(answer.body);
          case 'redirect':
            return reply.header('cache-control', 'private, no-store').redirect(answer.url, 302);
          case 'object':
            return reply.code(answer.status).headers(answer.headers).send(answer.stream);
        }
      } catch (err) {
        if (err instanceof ObjectNotFoundError) throw new AppError('NOT_FOUND', 'No such file.');
        if (err instanceof RangeNotSatisfiableError) {
          throw new AppError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the file.', undefined, {
            'content-range': `bytes */${err.size}`,
          });
        }
        throw err;
      }
    },
  );
};
