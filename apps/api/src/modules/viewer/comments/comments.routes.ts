import {
  CatalogHeaders,
  Comment,
  CommentPage,
  CommentParams,
  EditCommentBody,
  HideCommentBody,
  ModerationComment,
  ModerationPage,
  ModerationQuery,
  ViewerPageQuery,
  PostCommentBody,
  ProfileCommentParams,
  ProfileParams,
  ReportCommentBody,
  TitleParams,
} from '@kush/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors, NoContent } from '../routes-common';
import type { CommentModerationService, CommentsService, ModeratorContext } from './comments.service';

export interface CommentsRoutesOptions {
  comments: CommentsService;
  moderation: CommentModerationService;
}

const moderator = (request: FastifyRequest): ModeratorContext => ({
  actorId: request.principal!.userId,
  requestId: request.id,
  ip: request.ip,
});

/** Paths are absolute: comments are read per title, written per profile and moderated by staff. */
export const commentsRoutes: FastifyPluginAsyncZod<CommentsRoutesOptions> = async (app, { comments, moderation }) => {
  app.get(
    '/api/v1/titles/:titleId/comments',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['comments'],
        summary: "A title's comments, newest first (plain text: render escaped)",
        headers: CatalogHeaders,
        params: TitleParams,
        querystring: ViewerPageQuery,
        response: { 200: CommentPage, ...errors },
      },
    },
    async (request) =>
      comments.listForTitle(
        request.params.titleId,
        request.principal?.userId ?? null,
        request.query,
        request.headers['x-profile-id'],
      ),
  );

  app.post(
    '/api/v1/profiles/:profileId/comments',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['comments'],
        summary: 'Comment on a title as this profile (throttled per account)',
        params: ProfileParams,
        body: PostCommentBody,
        response: { 201: Comment, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await comments.post(request.principal!.userId, request.params.profileId, request.body)),
  );

  app.patch(
    '/api/v1/profiles/:profileId/comments/:commentId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['comments'],
        summary: "Edit this profile's comment",
        params: ProfileCommentParams,
        body: EditCommentBody,
        response: { 200: Comment, ...errors },
      },
    },
    async (request) => {
      const { profileId, commentId } = request.params;
      return comments.edit(request.principal!.userId, profileId, commentId, request.body.body);
    },
  );

  app.delete(
    '/api/v1/profiles/:profileId/comments/:commentId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['comments'],
        summary: "Delete this profile's comment",
        params: ProfileCommentParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const { profileId, commentId } = request.params;
      await comments.remove(request.principal!.userId, profileId, commentId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/comments/:commentId/report',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['comments'],
        summary: 'Report a comment to the moderators (once per account)',
        params: CommentParams,
        body: ReportCommentBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await comments.report(request.principal!.userId, request.params.commentId, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/comments',
    {
      config: { auth: 'comments:moderate' },
      schema: {
        tags: ['moderation'],
        summary: 'The moderation queue: most reported first, then newest',
        querystring: ModerationQuery,
        response: { 200: ModerationPage, ...errors },
      },
    },
    async (request) => moderation.queue(request.query),
  );

  app.post(
    '/api/v1/admin/comments/:commentId/hide',
    {
      config: { auth: 'comments:moderate' },
      schema: {
        tags: ['moderation'],
        summary: 'Hide a comment from everyone but its author; closes its reports',
        params: CommentParams,
        body: HideCommentBody,
        response: { 200: ModerationComment, ...errors },
      },
    },
    async (request) => moderation.hide(request.params.commentId, request.body.reason, moderator(request)),
  );

  app.post(
    '/api/v1/admin/comments/:commentId/restore',
    {
      config: { auth: 'comments:moderate' },
      schema: {
        tags: ['moderation'],
        summary: 'Show a hidden comment again',
        params: CommentParams,
        response: { 200: ModerationComment, ...errors },
      },
    },
    async (request) => moderation.restore(request.params.commentId, moderator(request)),
  );

  app.post(
    '/api/v1/admin/comments/:commentId/dismiss-reports',
    {
      config: { auth: 'comments:moderate' },
      schema: {
        tags: ['moderation'],
        summary: 'Close the reports on a comment that breaks no rule',
        params: CommentParams,
        response: { 200: ModerationComment, ...errors },
      },
    },
    async (request) => moderation.dismissReports(request.params.commentId, moderator(request)),
  );

  app.delete(
    '/api/v1/admin/comments/:commentId',
    {
      config: { auth: 'comments:moderate' },
      schema: {
        tags: ['moderation'],
        summary: 'Delete a comment',
        params: CommentParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await moderation.remove(request.params.commentId, moderator(request));
      return reply.code(204).send(null);
    },
  );
};
