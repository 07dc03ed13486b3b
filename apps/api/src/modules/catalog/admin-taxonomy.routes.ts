import {
  CreateCategoryBody,
  CreateGenreBody,
  CreateLanguageBody,
  Genre,
  IdParams,
  Language,
  LanguageParams,
  ReorderCategoriesBody,
  SetCategoryTitlesBody,
  StaffCategory,
  StaffCategoryList,
  UpdateCategoryBody,
  UpdateGenreBody,
  UpdateLanguageBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoContent, staffConfig as config, staffErrors as errors, staffOf } from './staff-routes';
import type { TaxonomyService } from './taxonomy.service';

const tags = ['admin: catalog'];

/** Genres, categories (the ordered home rows) and languages, for staff. Lists are public under /catalog. */
export const adminTaxonomyRoutes: FastifyPluginAsyncZod<{ taxonomy: TaxonomyService }> = async (app, { taxonomy }) => {
  app.post(
    '/genres',
    { config, schema: { tags, summary: 'Add a genre', body: CreateGenreBody, response: { 201: Genre, ...errors } } },
    async (request, reply) => reply.code(201).send(await taxonomy.createGenre(request.body, staffOf(request))),
  );

  app.patch(
    '/genres/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Rename a genre',
        params: IdParams,
        body: UpdateGenreBody,
        response: { 200: Genre, ...errors },
      },
    },
    async (request) => taxonomy.updateGenre(request.params.id, request.body, staffOf(request)),
  );

  app.delete(
    '/genres/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a genre (titles lose it)',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await taxonomy.removeGenre(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/categories',
    {
      config,
      schema: {
        tags,
        summary: 'Categories in home-page order, with their titles',
        response: { 200: StaffCategoryList, ...errors },
      },
    },
    async () => taxonomy.listCategories(),
  );

  app.post(
    '/categories',
    {
      config,
      schema: {
        tags,
        summary: 'Add a category (as the last row of the home page)',
        body: CreateCategoryBody,
        response: { 201: StaffCategory, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await taxonomy.createCategory(request.body, staffOf(request))),
  );

  app.put(
    '/categories/order',
    {
      config,
      schema: {
        tags,
        summary: 'Reorder the home page rows',
        body: ReorderCategoriesBody,
        response: { 200: StaffCategoryList, ...errors },
      },
    },
    async (request) => taxonomy.reorderCategories(request.body.ids, staffOf(request)),
  );

  app.patch(
    '/categories/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a category',
        params: IdParams,
        body: UpdateCategoryBody,
        response: { 200: StaffCategory, ...errors },
      },
    },
    async (request) => taxonomy.updateCategory(request.params.id, request.body, staffOf(request)),
  );

  app.put(
    '/categories/:id/titles',
    {
      config,
      schema: {
        tags,
        summary: "Set the titles of a category's row, in order",
        params: IdParams,
        body: SetCategoryTitlesBody,
        response: { 200: StaffCategory, ...errors },
      },
    },
    async (request) => taxonomy.setCategoryTitles(request.params.id, request.body.titleIds, staffOf(request)),
  );

  app.delete(
    '/categories/:id',
    {
      config,
      schema: { tags, summary: 'Delete a category', params: IdParams, response: { 204: NoContent, ...errors } },
    },
    async (request, reply) => {
      await taxonomy.removeCategory(request.params.id, staffOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/languages',
    {
      config,
      schema: { tags, summary: 'Add a language', body: CreateLanguageBody, response: { 201: Language, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await taxonomy.createLanguage(request.body, staffOf(request))),
  );

  app.patch(
    '/languages/:code',
    {
      config,
      schema: {
        tags,
        summary: 'Rename a language',
        params: LanguageParams,
        body: UpdateLanguageBody,
        response: { 200: Language, ...errors },
      },
    },
    async (request) => taxonomy.updateLanguage(request.params.code, request.body, staffOf(request)),
  );
};
