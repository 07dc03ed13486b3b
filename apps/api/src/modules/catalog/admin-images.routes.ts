import {
  CompleteImageUploadBody,
  CreateImageUploadBody,
  EpisodeImageParams,
  ErrorBody,
  ImageUpload,
  PersonImageParams,
  StaffEpisode,
  StaffPerson,
  StaffTitle,
  TitleImageParams,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ImagesService } from './images.service';
import type { PeopleService } from './people.service';
import type { SeriesService } from './series.service';
import { staffConfig as config, staffErrors, staffOf } from './staff-routes';
import type { TitlesService } from './titles.service';

const tags = ['admin: catalog'];
const errors = { ...staffErrors, 413: ErrorBody };

const UPLOAD_DESCRIPTION =
  'Returns a presigned PUT for the original (JPEG, PNG or WebP, at most 10 MB). PUT exactly `size` bytes with ' +
  'the returned headers, then call …/complete with the uploadId.';
const COMPLETE_DESCRIPTION =
  'Checks the uploaded bytes (JPEG/PNG/WebP only, complete, at most 50 megapixels; anything else is a 400 whose ' +
  '`details.reason` says why), renders every width in WebP and JPEG plus a tiny placeholder, records the picture ' +
  'and removes the one it replaces. Nothing is kept from a refused upload.';

/** Posters and backdrops of titles, photos of people, stills of episodes: upload, complete, remove. */
export const adminImagesRoutes: FastifyPluginAsyncZod<{
  images: ImagesService;
  titles: TitlesService;
  people: PeopleService;
  series: SeriesService;
}> = async (app, { images, titles, people, series }) => {
  app.post(
    '/titles/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Start uploading a title's poster or backdrop",
        description: UPLOAD_DESCRIPTION,
        params: TitleImageParams,
        body: CreateImageUploadBody,
        response: { 201: ImageUpload, ...errors },
      },
    },
    async (request, reply) => {
      const { id, kind } = request.params;
      return reply.code(201).send(await images.createUpload({ owner: 'titles', kind }, id, request.body));
    },
  );

  app.post(
    '/titles/:id/images/:kind/complete',
    {
      config,
      schema: {
        tags,
        summary: "Check, render and set an uploaded poster or backdrop (replacing the title's current one)",
        description: COMPLETE_DESCRIPTION,
        params: TitleImageParams,
        body: CompleteImageUploadBody,
        response: { 200: StaffTitle, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.complete({ owner: 'titles', kind }, id, request.body.uploadId, staffOf(request));
      return titles.get(id);
    },
  );

  app.delete(
    '/titles/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Remove a title's poster or backdrop",
        params: TitleImageParams,
        response: { 200: StaffTitle, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.remove({ owner: 'titles', kind }, id, staffOf(request));
      return titles.get(id);
    },
  );

  app.post(
    '/people/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Start uploading a person's photo",
        description: UPLOAD_DESCRIPTION,
        params: PersonImageParams,
        body: CreateImageUploadBody,
        response: { 201: ImageUpload, ...errors },
      },
    },
    async (request, reply) => {
      const { id, kind } = request.params;
      return reply.code(201).send(await images.createUpload({ owner: 'people', kind }, id, request.body));
    },
  );

  app.post(
    '/people/:id/images/:kind/complete',
    {
      config,
      schema: {
        tags,
        summary: "Check, render and set an uploaded photo (replacing the person's current one)",
        description: COMPLETE_DESCRIPTION,
        params: PersonImageParams,
        body: CompleteImageUploadBody,
        response: { 200: StaffPerson, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.complete({ owner: 'people', kind }, id, request.body.uploadId, staffOf(request));
      return people.get(id);
    },
  );

  app.delete(
    '/people/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Remove a person's photo",
        params: PersonImageParams,
        response: { 200: StaffPerson, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.remove({ owner: 'people', kind }, id, staffOf(request));
      return people.get(id);
    },
  );

  app.post(
    '/episodes/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Start uploading an episode's still",
        description: UPLOAD_DESCRIPTION,
        params: EpisodeImageParams,
        body: CreateImageUploadBody,
        response: { 201: ImageUpload, ...errors },
      },
    },
    async (request, reply) => {
      const { id, kind } = request.params;
      return reply.code(201).send(await images.createUpload({ owner: 'episodes', kind }, id, request.body));
    },
  );

  app.post(
    '/episodes/:id/images/:kind/complete',
    {
      config,
      schema: {
        tags,
        summary: "Check, render and set an uploaded still (replacing the episode's current one)",
        description: COMPLETE_DESCRIPTION,
        params: EpisodeImageParams,
        body: CompleteImageUploadBody,
        response: { 200: StaffEpisode, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.complete({ owner: 'episodes', kind }, id, request.body.uploadId, staffOf(request));
      return series.getEpisode(id);
    },
  );

  app.delete(
    '/episodes/:id/images/:kind',
    {
      config,
      schema: {
        tags,
        summary: "Remove an episode's still",
        params: EpisodeImageParams,
        response: { 200: StaffEpisode, ...errors },
      },
    },
    async (request) => {
      const { id, kind } = request.params;
      await images.remove({ owner: 'episodes', kind }, id, staffOf(request));
      return series.getEpisode(id);
    },
  );
};
