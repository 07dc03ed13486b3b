import {
  AdVideoUploadBody,
  BannerImageBody,
  Campaign,
  CampaignListQuery,
  CampaignPage,
  CampaignParams,
  CampaignReport,
  CreateCampaignBody,
  CreateCreativeBody,
  CreatedCreative,
  CreatedUpload,
  Creative,
  CreativeList,
  CreativeParams,
  ErrorBody,
  IdParams,
  InventoryReport,
  NoContent,
  PartUrls,
  PartUrlsBody,
  ReportQuery,
  StoredParts,
  UpdateCampaignBody,
  UpdateCreativeBody,
  Video,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CampaignsService } from './campaigns.service';
import type { ReportsService } from './reports.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const auth = { auth: 'ads:manage' } as const;
const tags = ['ads'];

/** Campaign, creative and report management for the console, under /api/v1/admin/ads. */
export const adsAdminRoutes: FastifyPluginAsyncZod<{ campaigns: CampaignsService; reports: ReportsService }> = async (
  app,
  { campaigns, reports },
) => {
  app.post(
    '/campaigns',
    {
      config: auth,
      schema: { tags, summary: 'Book a campaign', body: CreateCampaignBody, response: { 201: Campaign, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await campaigns.create(request.body, request.principal!.userId)),
  );

  app.get(
    '/campaigns',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Campaigns, newest first',
        querystring: CampaignListQuery,
        response: { 200: CampaignPage, ...errors },
      },
    },
    async (request) => campaigns.list(request.query),
  );

  app.get(
    '/campaigns/:id',
    {
      config: auth,
      schema: { tags, summary: 'A campaign', params: CampaignParams, response: { 200: Campaign, ...errors } },
    },
    async (request) => campaigns.get(request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Change, pause or archive a campaign',
        params: CampaignParams,
        body: UpdateCampaignBody,
        response: { 200: Campaign, ...errors },
      },
    },
    async (request) => campaigns.update(request.params.id, request.body),
  );

  app.get(
    '/campaigns/:id/creatives',
    {
      config: auth,
      schema: {
        tags,
        summary: "A campaign's creatives",
        params: CampaignParams,
        response: { 200: CreativeList, ...errors },
      },
    },
    async (request) => campaigns.listCreatives(request.params.id),
  );

  app.post(
    '/campaigns/:id/creatives',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Add a video pre-roll (a ready ad video) or a banner (returns where to PUT its image)',
        params: CampaignParams,
        body: CreateCreativeBody,
        response: { 201: CreatedCreative, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created =
        body.kind === 'video'
          ? await campaigns.createVideoCreative(request.params.id, body)
          : await campaigns.createBannerCreative(request.params.id, body);
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/campaigns/:id/creatives/:creativeId',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Rename, re-target the click, pause or resume a creative',
        params: CreativeParams,
        body: UpdateCreativeBody,
        response: { 200: Creative, ...errors },
      },
    },
    async (request) => campaigns.updateCreative(request.params.id, request.params.creativeId, request.body),
  );

  app.post(
    '/campaigns/:id/creatives/:creativeId/image/complete',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Check the uploaded banner image (type and exact size) and activate it',
        params: CreativeParams,
        response: { 200: Creative, ...errors },
      },
    },
    async (request) => campaigns.completeBanner(request.params.id, request.params.creativeId),
  );

  app.post(
    '/campaigns/:id/creatives/:creativeId/image',
    {
      config: auth,
      schema: {
        tags,
        summary: 'A new upload for a banner still waiting for its picture',
        params: CreativeParams,
        body: BannerImageBody,
        response: { 200: CreatedCreative, ...errors },
      },
    },
    async (request) => campaigns.replaceBannerUpload(request.params.id, request.params.creativeId, request.body),
  );

  app.delete(
    '/campaigns/:id/creatives/:creativeId',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Remove a creative that never served (a banner without its picture)',
        params: CreativeParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await campaigns.deleteCreative(request.params.id, request.params.creativeId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/videos',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Start uploading a pre-roll video (transcoded to the small ad ladder)',
        body: AdVideoUploadBody,
        response: { 201: CreatedUpload, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await campaigns.startVideoUpload(request.body, request.principal!.userId)),
  );

  app.get(
    '/videos/:id',
    {
      config: auth,
      schema: {
        tags,
        summary: 'An ad video and its transcoding state',
        params: IdParams,
        response: { 200: Video, ...errors },
      },
    },
    async (request) => campaigns.getVideo(request.params.id),
  );

  app.post(
    '/videos/:id/upload/parts',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Presigned URLs for the parts of a large pre-roll (multipart upload)',
        params: IdParams,
        body: PartUrlsBody,
        response: { 200: PartUrls, ...errors },
      },
    },
    async (request) => campaigns.videoPartUrls(request.params.id, request.body.partNumbers),
  );

  app.get(
    '/videos/:id/upload/parts',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Parts of a pre-roll already stored, to resume an interrupted upload',
        params: IdParams,
        response: { 200: StoredParts, ...errors },
      },
    },
    async (request) => campaigns.storedVideoParts(request.params.id),
  );

  app.post(
    '/videos/:id/upload/complete',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Finish the upload and queue transcoding',
        params: IdParams,
        response: { 200: Video, ...errors },
      },
    },
    async (request) => campaigns.completeVideoUpload(request.params.id),
  );

  app.get(
    '/campaigns/:id/report',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Delivery per day: impressions, reach, CTR, completion, fill, spend',
        params: CampaignParams,
        querystring: ReportQuery,
        response: { 200: CampaignReport, ...errors },
      },
    },
    async (request) => reports.campaign(request.params.id, request.query),
  );

  app.get(
    '/campaigns/:id/report.csv',
    {
      config: auth,
      schema: { tags, summary: 'The daily report as CSV', params: CampaignParams, querystring: ReportQuery },
    },
    async (request, reply) => {
      const csv = await reports.campaignCsv(request.params.id, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="campaign-${request.params.id}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/reports/inventory',
    {
      config: auth,
      schema: {
        tags,
        summary: 'Ad requests and fill rate per placement per day',
        querystring: ReportQuery,
        response: { 200: InventoryReport, ...errors },
      },
    },
    async (request) => reports.inventory(request.query),
  );
};
