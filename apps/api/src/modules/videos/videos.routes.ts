import {
  CreatedUpload,
  CreateUploadBody,
  ErrorBody,
  IdParams,
  NoContent,
  PartUrls,
  PartUrlsBody,
  StoredParts,
  SubtitleBody,
  Video,
  VideoListQuery,
  VideoPage,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SubtitlesService } from './subtitles.service';
import type { UploadsService } from './uploads.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const auth = { auth: 'uploads:manage' } as const;

export const videosRoutes: FastifyPluginAsyncZod<{ uploads: UploadsService; subtitles: SubtitlesService }> = async (
  app,
  { uploads, subtitles },
) => {
  app.post(
    '',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Start an upload: a presigned PUT for small files, multipart for large ones',
        body: CreateUploadBody,
        response: { 201: CreatedUpload, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await uploads.create(request.body, request.principal!.userId)),
  );

  app.get(
    '',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Videos by status',
        querystring: VideoListQuery,
        response: { 200: VideoPage, ...errors },
      },
    },
    async (request) => uploads.list(request.query),
  );

  app.get(
    '/:id',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'A video with its status, progress and failure reason',
        params: IdParams,
        response: { 200: Video, ...errors },
      },
    },
    async (request) => uploads.get(request.params.id),
  );

  app.post(
    '/:id/upload/parts',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Presigned URLs for multipart parts',
        params: IdParams,
        body: PartUrlsBody,
        response: { 200: PartUrls, ...errors },
      },
    },
    async (request) => uploads.partUrls(request.params.id, request.body.partNumbers),
  );

  app.get(
    '/:id/upload/parts',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Parts already stored, to resume an interrupted upload',
        params: IdParams,
        response: { 200: StoredParts, ...errors },
      },
    },
    async (request) => uploads.storedParts(request.params.id),
  );

  app.post(
    '/:id/upload/complete',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Finish the upload and queue transcoding',
        params: IdParams,
        response: { 200: Video, ...errors },
      },
    },
    async (request) => uploads.complete(request.params.id),
  );

  app.delete(
    '/:id/upload',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Abort an unfinished upload',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await uploads.abort(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/transcode',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Transcode again; viewers keep the current version until the new one is ready',
        params: IdParams,
        response: { 202: Video, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await uploads.retranscode(request.params.id)),
  );

  app.put(
    '/:id/subtitles',
    {
      config: auth,
      schema: {
        tags: ['videos'],
        summary: 'Add or replace subtitles (SRT or WebVTT) for a language',
        params: IdParams,
        body: SubtitleBody,
        response: { 200: Video, ...errors },
      },
    },
    async (request) => subtitles.upsert(request.params.id, request.body),
  );
};
