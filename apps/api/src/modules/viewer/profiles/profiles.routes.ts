import {
  CreateProfileBody,
  Profile,
  ProfileParams,
  ProfileUnlock,
  SetPinBody,
  UpdateProfileBody,
  VerifyPinBody,
} from '@kush/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ProfileUnlocks, setUnlockCookie } from '../../profiles/profile-lock';
import { errors, NoContent } from '../routes-common';
import type { ProfilesService } from './profiles.service';

export const profilesRoutes: FastifyPluginAsyncZod<{
  profiles: ProfilesService;
  unlocks: ProfileUnlocks;
  cookieSecure: boolean;
}> = async (app, { profiles, unlocks, cookieSecure }) => {
  /** Unlocks the profile on this client: an httpOnly cookie for browsers, the token for others. */
  async function unlock(reply: FastifyReply, userId: string, profileId: string): Promise<ProfileUnlock> {
    const issued = await unlocks.issue(userId, profileId);
    setUnlockCookie(reply, issued, cookieSecure);
    return { unlockToken: issued.token, expiresAt: issued.expiresAt.toISOString() };
  }

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
      // The account password stands in for the PIN, so a forgotten PIN can be reset.
      config: { auth: 'account:self', profileLock: false },
      schema: {
        tags: ['profiles'],
        summary: 'Set, change or remove (pin: null) the 4-digit PIN; needs the account password',
        description: 'Setting a PIN also unlocks the profile on this client (as …/pin/verify does).',
        params: ProfileParams,
        body: SetPinBody,
        response: { 200: ProfileUnlock, 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const { pin, password } = request.body;
      const { userId } = request.principal!;
      await profiles.setPin(request.principal!, request.params.profileId, pin, password);
      if (pin === null) return reply.code(204).send(null);
      return reply.code(200).send(await unlock(reply, userId, request.params.profileId));
    },
  );

  app.post(
    '/:profileId/pin/verify',
    {
      config: { auth: 'account:self', profileLock: false },
      schema: {
        tags: ['profiles'],
        summary:
          'Check the PIN and unlock the profile on this client for 12 hours (wrong PINs are throttled per profile)',
        description:
          'Browsers receive the unlock as an httpOnly cookie; other clients send `unlockToken` in the ' +
          'x-profile-unlock header. Without it, every call acting as a PIN-protected profile answers 403 PROFILE_LOCKED.',
        params: ProfileParams,
        body: VerifyPinBody,
        response: { 200: ProfileUnlock, ...errors },
      },
    },
    async (request, reply) => {
      const { userId } = request.principal!;
      await profiles.verifyPin(userId, request.params.profileId, request.body.pin);
      return unlock(reply, userId, request.params.profileId);
    },
  );
};
