import { createHash } from 'node:crypto';
import {
  BannerDecision,
  BannerQuery,
  ClickQuery,
  ErrorBody,
  NoContent,
  NoFillQuery,
  TrackingParams,
  TrackingQuery,
  VastQuery,
  VERY_SLOW_LINK_KBPS,
} from '@kush/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type DecisionRequest, deviceFromUserAgent, type ServingService } from './serving.service';
import { VAST_CONTENT_TYPE } from './vast';

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['ads'];
const NO_STORE = 'private, no-store';

function decisionOf(
  request: FastifyRequest,
  query: { titleId?: string; device?: string; deviceId?: string },
  lowData: boolean,
  verySlowLink = false,
): DecisionRequest {
  const ua = request.headers['user-agent'];
  return {
    userId: request.principal?.userId ?? null,
    device: query.device ?? deviceFromUserAgent(ua),
    deviceId: query.deviceId,
    clientFingerprint: createHash('sha256')
      .update(`${request.ip}|${ua ?? ''}`)
      .digest('base64url'),
    titleId: query.titleId,
    lowData,
    verySlowLink,
  };
}

/** Ad decisions (VAST for players, JSON for banner slots), tracking pixels and the click redirect, under /api/v1/ads. */
export const adsServingRoutes: FastifyPluginAsyncZod<{ serving: ServingService }> = async (app, { serving }) => {
  app.get(
    '/vast',
    {
      config: { auth: 'optional' },
      schema: {
        tags,
        summary: 'A pre-roll as VAST 4.2 XML (an empty VAST with an Error URL when there is no ad)',
        description:
          'On a slow link (network=slow) or with dataSaver=true the video comes in its lowest rendition only. ' +
          `With bandwidthKbps below ${VERY_SLOW_LINK_KBPS} the ad is a banner instead of a video when the campaign ` +
          'has one (a NonLinear ad with a 320×50 or 728×90 StaticResource image, its click-through and impression), ' +
          'else the lowest rendition. Budgets and frequency caps count it once, like any ad.',
        querystring: VastQuery,
        response: { 200: z.string().describe('VAST 4.2 XML'), 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const verySlow = q.bandwidthKbps !== undefined && q.bandwidthKbps < VERY_SLOW_LINK_KBPS;
      const lowData = q.network === 'slow' || q.dataSaver === true || verySlow;
      const xml = await serving.vast(decisionOf(request, q, lowData, verySlow));
      return reply.type(VAST_CONTENT_TYPE).header('cache-control', NO_STORE).send(xml);
    },
  );

  app.get(
    '/banners',
    {
      config: { auth: 'optional' },
      schema: {
        tags,
        summary: 'Banners for named slots (null where there is none)',
        querystring: BannerQuery,
        response: { 200: BannerDecision, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const answer = await serving.banners(decisionOf(request, request.query, false), request.query.slots);
      return reply.header('cache-control', NO_STORE).send(answer as z.infer<typeof BannerDecision>);
    },
  );

  app.get(
    '/events/:event',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Tracking pixel: counts the event once per serving id',
        params: TrackingParams,
        querystring: TrackingQuery,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await serving.track(request.params.event, request.query.p, request.query.s);
      return reply.code(204).header('cache-control', NO_STORE).send(null);
    },
  );

  app.get(
    '/click',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "Counts the click and redirects to the creative's own destination",
        querystring: ClickQuery,
        response: errors,
      },
    },
    async (request, reply) => {
      const target = await serving.click(request.query.p, request.query.s);
      return reply.header('cache-control', NO_STORE).redirect(target, 302);
    },
  );

  app.get(
    '/no-fill',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Where players report VAST errors and empty responses',
        querystring: NoFillQuery,
        response: { 204: NoContent, 400: ErrorBody },
      },
    },
    async (_request, reply) => reply.code(204).header('cache-control', NO_STORE).send(null),
  );
};
