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
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { BrowseService } from './browse.service';
import type { CatalogCache } from './catalog.cache';
import type { CatalogEdge } from './catalog.edge';
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
  /** Told which URLs anonymous requests were answered for, so it can answer them next time. */
  edge?: CatalogEdge;
}

/**
 * Public catalog reads. Bodies are cached pre-serialized and keyed by the effective maturity, so a
 * kids profile and an anonymous `?maturity=PG` share entries; catalog data is the same for everyone
 * who may see it. Personal data (continue watching, My List) lives in other routes, never here.
 */
export const browseRoutes: FastifyPluginAsyncZod<BrowseRoutesOptions> = async (app, options) => {
  const { browse, search, cache, db, edge } = options;

  /** The cached body for `key` (loaded on a miss), sent; anonymous URLs are left with the edge. */
  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    personal: boolean,
    key: string,
    load: () => Promise<string>,
  ) {
    const entry = await cache.get(key, load);
    if (!personal) edge?.remember(request.url, key, request.routeOptions.url ?? request.url);
    return sendCached(request, reply, entry, personal);
  }
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
      const { rowCards } = request.query;
      return answer(request, reply, audience.personal, keyOf('home', audience.maturity, { rowCards }), async () =>
        serialize(CatalogHome, await browse.home(audience.maturity, { rowCards })),
      );
    },
  );

  app.get(
    '/categories',
    {
      config,
      schema: { tags, summary: 'Categories (the rows of the home page), in order', response: { 200: CategoryList } },
    },
    async (request, reply) => {
      return answer(request, reply, request.principal !== null, 'categories', async () =>
        serialize(CategoryList, await browse.categories()),
      );
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
      return answer(
        request,
        reply,
        audience.personal,
        keyOf(`category:${slug}`, audience.maturity, request.query),
        async () => serialize(CategoryPage, await browse.categoryPage(slug, request.query, audience.maturity)),
      );
    },
  );

  app.get(
    '/genres',
    { config, schema: { tags, summary: 'Genres', response: { 200: GenreList } } },
    async (request, reply) => {
      return answer(request, reply, request.principal !== null, 'genres', async () =>
        serialize(GenreList, await browse.genres()),
      );
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
      return answer(
        request,
        reply,
        audience.personal,
        keyOf(`genre:${slug}`, audience.maturity, request.query),
        async () => serialize(GenrePage, await browse.genrePage(slug, request.query, audience.maturity)),
      );
    },
  );

  app.get(
    '/languages',
    { config, schema: { tags, summary: 'Audio and subtitle languages', response: { 200: LanguageList } } },
    async (request, reply) => {
      return answer(request, reply, request.principal !== null, 'languages', async () =>
        serialize(LanguageList, await browse.languages()),
      );
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
      return answer(request, reply, audience.personal, keyOf(`title:${slug}`, audience.maturity), async () =>
        serialize(TitleDetail, await browse.title(slug, audience.maturity)),
      );
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
      return answer(request, reply, audience.personal, keyOf(`person:${slug}`, audience.maturity), async () =>
        serialize(PersonPage, await browse.person(slug, audience.maturity)),
      );
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
      return answer(request, reply, audience.personal, key, async () =>
        serialize(SearchResults, await search.search(request.query, audience.maturity)),
      );
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
      return answer(request, reply, audience.personal, key, async () =>
        serialize(Autocomplete, await search.autocomplete(request.query, audience.maturity)),
      );
    },
  );
};
