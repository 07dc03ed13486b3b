import {
  CreateProfileBody,
  Profile,
  ProfileParams,
  SetPinBody,
  UpdateProfileBody,
  VerifyPinBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, NoContent } from '../routes-common';
import type { ProfilesService } from './profiles.service';

export const profilesRoutes: FastifyPluginAsyncZod<{ profiles: ProfilesService }> = async (app, { profiles }) => {
  app.get(
    '',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: "The account's profiles (the first one is created on first use)",
        response: { 200: z.object({ items: z.array(Profile) }), ...errors },
      },
    },
    async (request) => ({ items: await profiles.list(request.principal!) }),
  );

  app.post(
    '',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'Add a profile (at most five per account)',
        body: CreateProfileBody,
        response: { 201: Profile, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await profiles.create(request.principal!, request.body)),
  );

  app.get(
    '/:profileId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'One profile',
        params: ProfileParams,
        response: { 200: Profile, ...errors },
      },
    },
    async (request) => profiles.get(request.principal!.userId, request.params.profileId),
  );

  app.patch(
    '/:profileId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'Change name, avatar, kids mode, maturity limit, language or data saver',
        params: ProfileParams,
        body: UpdateProfileBody,
        response: { 200: Profile, ...errors },
      },
    },
    async (request) => profiles.update(request.principal!, request.params.profileId, request.body),
  );

  app.delete(
    '/:profileId',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'Delete a profile with its list, history and ratings (not the last one)',
        params: ProfileParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await profiles.remove(request.principal!, request.params.profileId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/:profileId/pin',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'Set, change or remove (pin: null) the 4-digit PIN; needs the account password',
        params: ProfileParams,
        body: SetPinBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const { pin, password } = request.body;
      await profiles.setPin(request.principal!, request.params.profileId, pin, password);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:profileId/pin/verify',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['profiles'],
        summary: 'Check the PIN before switching to the profile (wrong PINs are throttled per profile)',
        params: ProfileParams,
        body: VerifyPinBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await profiles.verifyPin(request.principal!.userId, request.params.profileId, request.body.pin);
      return reply.code(204).send(null);
    },
  );
};
