import {
  AppError,
  Download,
  DownloadBody,
  DownloadList,
  DownloadParams,
  ErrorBody,
  NoContent,
  ProfileDownloadsParams,
} from '@kush/contracts';
import { ObjectNotFoundError } from '@kush/storage';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROFILE_HEADER } from '../profiles/profile-context';
import type { DownloadsService } from './downloads.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const downloadsRoutes: FastifyPluginAsyncZod<{ downloads: DownloadsService }> = async (app, { downloads }) => {
  app.post(
    '/downloads',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['downloads'],
        summary:
          'Save a title (or an episode) for offline viewing: one rendition, licensed for 30 days at most; again for the same title renews it',
        headers: z.object({ [PROFILE_HEADER]: z.uuid() }),
        body: DownloadBody,
        response: { 200: Download, ...errors },
      },
    },
    async (request) => downloads.create(request.principal!, request.headers[PROFILE_HEADER], request.body),
  );

  app.get(
    '/profiles/:profileId/downloads',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['downloads'],
        summary: "The profile's downloads, newest first; expired ones are flagged",
        params: ProfileDownloadsParams,
        response: { 200: DownloadList, ...errors },
      },
    },
    async (request) => downloads.list(request.principal!, request.params.profileId),
  );

  app.delete(
    '/downloads/:id',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['downloads'],
        summary: 'Remove a download of this account',
        params: DownloadParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await downloads.remove(request.principal!, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // The offline playlists, reached by the signed token in the path like the stream itself.
  app.get<{ Params: { token: string; '*': string } }>(
    '/downloads/files/:token/*',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      try {
        const text = await downloads.playlist(request.params.token, request.params['*']);
        return reply.type('application/vnd.apple.mpegurl').header('cache-control', 'private, max-age=60').send(text);
      } catch (err) {
        if (err instanceof ObjectNotFoundError) throw new AppError('NOT_FOUND', 'No such file.');
        throw err;
      }
    },
  );
};
