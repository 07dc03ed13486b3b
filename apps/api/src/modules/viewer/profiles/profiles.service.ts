import {
  AppError,
  KIDS_MAX_RATING,
  MATURITY_RATING_VALUES,
  MAX_PROFILES_PER_ACCOUNT,
  type MaturityRating,
  type Profile,
} from '@kush/contracts';
import type { Database } from '@kush/db';
import type { RateLimiter } from '@kush/infra';
import type { Principal } from '../../accounts/auth.service';
import { hashPassword, verifyPassword } from '../../accounts/passwords';
import { findOwnProfile, type ProfileRow } from '../../profiles/profile-context';
import { rateLimited } from '../errors';
import type { NotificationsService } from '../notifications/notifications.service';
import { removeProfileRatings } from '../ratings/ratings.service';
import * as repo from './profiles.repository';

const PIN_MAX_ATTEMPTS = 5;
const PIN_WINDOW_SECONDS = 15 * 60;
const PASSWORD_MAX_ATTEMPTS = 5;
const PASSWORD_WINDOW_SECONDS = 15 * 60;

type DataSaver = ProfileRow['dataSaver'];

export interface ProfileInput {
  name?: string;
  avatar?: string | null;
  isKids?: boolean;
  maturityLimit?: MaturityRating;
  language?: string;
  dataSaver?: DataSaver;
}

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    avatar: row.avatar,
    isKids: row.isKids,
    maturityLimit: row.maturityLimit,
    hasPin: row.pinHash !== null,
    language: row.language,
    dataSaver: row.dataSaver,
    createdAt: row.createdAt.toISOString(),
  };
}

const rank = (r: MaturityRating) => MATURITY_RATING_VALUES.indexOf(r);

/** A kids profile is held to children's ratings; an adult one defaults to everything. */
function maturityFor(isKids: boolean, requested: MaturityRating | undefined, current?: MaturityRating): MaturityRating {
  if (!isKids) return requested ?? current ?? '18';
  if (requested && rank(requested) > rank(KIDS_MAX_RATING)) {
    throw new AppError('VALIDATION_FAILED', 'A kids profile can only be limited to G or PG.', [
      { in: 'body', path: 'maturityLimit', message: 'must be G or PG on a kids profile' },
    ]);
  }
  return requested ?? (current && rank(current) <= rank(KIDS_MAX_RATING) ? current : KIDS_MAX_RATING);
}

/** Profiles of an account: at most five, each with its own maturity limit, preferences and optional PIN. */
export class ProfilesService {
  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
    private readonly notifications: NotificationsService,
  ) {}

  /** Every account has at least one profile: the first is made here, named after the account. */
  async list(principal: Principal): Promise<Profile[]> {
    const rows = await repo.listProfiles(this.db, principal.userId);
    if (rows.length > 0) return rows.map(toProfile);
    const created = await this.db.transaction(async (tx) => {
      await repo.lockAccountProfiles(tx, principal.userId);
      const again = await repo.listProfiles(tx, principal.userId);
      if (again.length > 0) return again;
      const name = principal.user.displayName.trim().slice(0, 40) || 'Me';
      return [await repo.insertProfile(tx, principal.userId, { name })];
    });
    return created.map(toProfile);
  }

  async get(userId: string, profileId: string): Promise<Profile> {
    return toProfile(await findOwnProfile(this.db, userId, profileId));
  }

  async create(principal: Principal, input: ProfileInput & { name: string }): Promise<Profile> {
    const isKids = input.isKids ?? false;
    const values = {
      name: input.name,
      avatar: input.avatar ?? null,
      isKids,
      maturityLimit: maturityFor(isKids, input.maturityLimit),
      ...(input.language ? { language: input.language } : {}),
      ...(input.dataSaver ? { dataSaver: input.dataSaver } : {}),
    };
    const row = await this.db.transaction(async (tx) => {
      await repo.lockAccountProfiles(tx, principal.userId);
      if ((await repo.countProfiles(tx, principal.userId)) >= MAX_PROFILES_PER_ACCOUNT) {
        throw new AppError('CONFLICT', `An account can have at most ${MAX_PROFILES_PER_ACCOUNT} profiles.`);
      }
      return repo.insertProfile(tx, principal.userId, values);
    });
    return toProfile(row);
  }

  /**
   * Changes a profile. Lifting a restriction (kids mode off, a higher maturity limit) needs the
   * account password, as a PIN does: the account is signed in on the family's devices, and a child
   * on a kids profile must not be able to un-kid it. Tightening one needs nothing.
   */
  async update(
    principal: Principal,
    profileId: string,
    { password, ...input }: ProfileInput & { password?: string },
  ): Promise<Profile> {
    const profile = await findOwnProfile(this.db, principal.userId, profileId);
    const isKids = input.isKids ?? profile.isKids;
    const maturityLimit = maturityFor(isKids, input.maturityLimit, profile.maturityLimit);
    const lifts = (profile.isKids && !isKids) || rank(maturityLimit) > rank(profile.maturityLimit);
    if (lifts) {
      if (password === undefined) {
        throw new AppError('PASSWORD_REQUIRED', "Enter the account's password to lift this profile's limits.", [
          { in: 'body', path: 'password', message: 'required to turn kids mode off or raise the maturity limit' },
        ]);
      }
      await this.checkPassword(principal, password);
    }
    const row = await repo.updateProfile(this.db, principal.userId, profile.id, { ...input, isKids, maturityLimit });
    if (!row) throw new AppError('NOT_FOUND', 'No such profile.');
    return toProfile(row);
  }

  async remove(principal: Principal, profileId: string): Promise<void> {
    const removed = await this.db.transaction(async (tx) => {
      await repo.lockAccountProfiles(tx, principal.userId);
      const profile = await findOwnProfile(tx, principal.userId, profileId);
      if ((await repo.countProfiles(tx, principal.userId)) <= 1) {
        throw new AppError('CONFLICT', 'An account needs at least one profile.');
      }
      await removeProfileRatings(tx, profile.id);
      await repo.deleteProfile(tx, principal.userId, profile.id);
      return profile;
    });
    await this.notifications.notify(principal.userId, 'account', {
      subject: 'A profile was deleted',
      body: `The profile "${removed.name}" was deleted from your Kush Films account, with its list, history and ratings.\n\nIf this was not you, change your password.`,
      url: '/profiles',
    });
  }

  /** Sets, changes or (pin null) removes the PIN. Needs the account password, not the old PIN. */
  async setPin(principal: Principal, profileId: string, pin: string | null, password: string): Promise<void> {
    const profile = await findOwnProfile(this.db, principal.userId, profileId);
    await this.checkPassword(principal, password);
    const pinHash = pin === null ? null : await hashPassword(pin);
    await repo.updateProfile(this.db, principal.userId, profile.id, { pinHash });
    if (pin === null && profile.pinHash === null) return;
    const what = pin === null ? 'removed from' : profile.pinHash ? 'changed on' : 'set on';
    await this.notifications.notify(principal.userId, 'account', {
      subject: `A PIN was ${what} a profile`,
      body: `The PIN was ${what} the profile "${profile.name}" of your Kush Films account.\n\nIf this was not you, change your password.`,
      url: '/profiles',
    });
  }

  /**
   * Checks a PIN. Every attempt counts against the profile's window and a right PIN clears it, so
   * guesses stop after a few tries even when sent in parallel.
   */
  async verifyPin(userId: string, profileId: string, pin: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    if (!profile.pinHash) throw new AppError('CONFLICT', 'This profile has no PIN.');
    const key = `profile-pin:${profile.id}`;
    const attempt = await this.limiter.consume(key, PIN_MAX_ATTEMPTS, PIN_WINDOW_SECONDS);
    if (!attempt.allowed) throw rateLimited(attempt.retryAfterSeconds, 'wrong PINs for this profile');
    if (!(await verifyPassword(profile.pinHash, pin))) {
      throw new AppError('PIN_INCORRECT', 'The PIN is incorrect.', { attemptsLeft: attempt.remaining });
    }
    await this.limiter.reset(key);
  }

  private async checkPassword(principal: Principal, password: string): Promise<void> {
    const key = `profile-password:${principal.userId}`;
    const attempt = await this.limiter.consume(key, PASSWORD_MAX_ATTEMPTS, PASSWORD_WINDOW_SECONDS);
    if (!attempt.allowed) throw rateLimited(attempt.retryAfterSeconds, 'password attempts');
    if (!(await verifyPassword(principal.user.passwordHash, password))) {
      throw new AppError('INVALID_CREDENTIALS', 'The password is incorrect.');
    }
    await this.limiter.reset(key);
  }
}
