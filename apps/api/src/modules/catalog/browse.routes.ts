import {
  Autocomplete,
  AutocompleteQuery,
  BrowseQuery,
  CatalogHeaders,
  CatalogHome,
  CategoryList,
  CategoryPage,
  ErrorBody,
  GenreList,
  GenrePage,
  HomeQuery,
  LanguageList,
  PersonPage,
  SearchQuery,
  SearchResults,
  SlugParams,
  TitleDetail,
  TitleQuery,
} from '@kush/contracts';
import type { Executor } from '@kush/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { BrowseService } from './browse.service';
import type { CatalogCache } from './catalog.cache';
import { audienceOf, sendCached } from './catalog.http';
import type { SearchService } from './search.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** Validates the body against its schema (dropping anything not in it) and serializes it once. */
function serialize<T extends z.ZodType>(schema: T, value: z.input<T>): string {
  return JSON.stringify(schema.parse(value));
}

/** A cache key for a listing: its identity, the effective maturity and the normalized query. */
function keyOf(name: string, maturity: string, query: Record<string, unknown> = {}): string {
  const rest = Object.entries(query)
    .filter(([k, v]) => k !== 'maturity' && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${name}|${maturity}|${JSON.stringify(rest)}`;
}

export interface BrowseRoutesOptions {
  browse: BrowseService;
  search: SearchService;
  cache: CatalogCache;
  /** For profile lookups. */
  db: Executor;
}

/**
 * Public catalog reads. Bodies are cached pre-serialized and keyed by the effective maturity, so a
 * kids profile and an anonymous `?maturity=PG` share entries; catalog data is the same for everyone
 * who may see it. Personal data (continue watching, My List) lives in other routes, never here.
 */
export const browseRoutes: FastifyPluginAsyncZod<BrowseRoutesOptions> = async (app, options) => {
  const { browse, search, cache, db } = options;
  const tags = ['catalog'];
  const config = { auth: 'optional' as const };

  app.get(
    '/home',
    {
      config,
      schema: {
        tags,
        summary: 'Home: featured titles, category rows, trending and new releases',
        headers: CatalogHeaders,
        querystring: HomeQuery,
        response: { 200: CatalogHome, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      const entry = await cache.get(keyOf('home', audience.maturity), async () =>
        serialize(CatalogHome, await browse.home(audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  app.get(
    '/categories',
    {
      config,
      schema: { tags, summary: 'Categories (the rows of the home page), in order', response: { 200: CategoryList } },
    },
    async (request, reply) => {
      const entry = await cache.get('categories', async () => serialize(CategoryList, await browse.categories()));
      return sendCached(request, reply, entry, request.principal !== null);
    },
  );

  app.get(
    '/categories/:slug',
    {
      config,
      schema: {
        tags,
        summary: 'A category page: filtered, sorted, cursor-paginated titles',
        headers: CatalogHeaders,
        params: SlugParams,
        querystring: BrowseQuery,
        response: { 200: CategoryPage, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      const { slug } = request.params;
      const entry = await cache.get(keyOf(`category:${slug}`, audience.maturity, request.query), async () =>
        serialize(CategoryPage, await browse.categoryPage(slug, request.query, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  app.get(
    '/genres',
    { config, schema: { tags, summary: 'Genres', response: { 200: GenreList } } },
    async (request, reply) => {
      const entry = await cache.get('genres', async () => serialize(GenreList, await browse.genres()));
      return sendCached(request, reply, entry, request.principal !== null);
    },
  );

  app.get(
    '/genres/:slug',
    {
      config,
      schema: {
        tags,
        summary: 'A genre page: filtered, sorted, cursor-paginated titles',
        headers: CatalogHeaders,
        params: SlugParams,
        querystring: BrowseQuery,
        response: { 200: GenrePage, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      const { slug } = request.params;
      const entry = await cache.get(keyOf(`genre:${slug}`, audience.maturity, request.query), async () =>
        serialize(GenrePage, await browse.genrePage(slug, request.query, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  app.get(
    '/languages',
    { config, schema: { tags, summary: 'Audio and subtitle languages', response: { 200: LanguageList } } },
    async (request, reply) => {
      const entry = await cache.get('languages', async () => serialize(LanguageList, await browse.languages()));
      return sendCached(request, reply, entry, request.principal !== null);
    },
  );

  app.get(
    '/titles/:slug',
    {
      config,
      schema: {
        tags,
        summary: 'A title page: details, genres, cast and crew, seasons and episodes',
        headers: CatalogHeaders,
        params: SlugParams,
        querystring: TitleQuery,
        response: { 200: TitleDetail, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      const { slug } = request.params;
      const entry = await cache.get(keyOf(`title:${slug}`, audience.maturity), async () =>
        serialize(TitleDetail, await browse.title(slug, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  app.get(
    '/people/:slug',
    {
      config,
      schema: {
        tags,
        summary: 'A person and the titles they are credited on',
        headers: CatalogHeaders,
        params: SlugParams,
        querystring: TitleQuery,
        response: { 200: PersonPage, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      const { slug } = request.params;
      const entry = await cache.get(keyOf(`person:${slug}`, audience.maturity), async () =>
        serialize(PersonPage, await browse.person(slug, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  // Popular searches repeat all day; the long tail only ages out of the byte-bounded LRU.
  app.get(
    '/search',
    {
      config,
      schema: {
        tags,
        summary: 'Search titles, synopses and people (misspellings and accents tolerated)',
        headers: CatalogHeaders,
        querystring: SearchQuery,
        response: { 200: SearchResults, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      // Results do not depend on letter case, so neither does the key.
      const key = keyOf('search', audience.maturity, { ...request.query, q: request.query.q.toLowerCase() });
      const entry = await cache.get(key, async () =>
        serialize(SearchResults, await search.search(request.query, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );

  app.get(
    '/autocomplete',
    {
      config,
      schema: {
        tags,
        summary: 'Suggestions for the search box: titles and people',
        headers: CatalogHeaders,
        querystring: AutocompleteQuery,
        response: { 200: Autocomplete, ...errors },
      },
    },
    async (request, reply) => {
      const audience = await audienceOf(request, db, request.query.maturity);
      // Suggestions do not depend on letter case, so neither does the key.
      const key = keyOf('suggest', audience.maturity, { ...request.query, q: request.query.q.toLowerCase() });
      const entry = await cache.get(key, async () =>
        serialize(Autocomplete, await search.autocomplete(request.query, audience.maturity)),
      );
      return sendCached(request, reply, entry, audience.personal);
    },
  );
};
