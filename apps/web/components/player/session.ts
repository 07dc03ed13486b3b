'use client';
/**
 * The player's calls to the API: start a session (signed master playlist, resume position,
 * whether ads run), save progress, remember the data saver on the profile.
 */
import type { Playback, Profile } from '@kush/contracts';
import type { z } from 'zod';
import { api, ApiError } from '@/lib/api/browser';
import type { PlayerProblem } from './problem';

export type PlaybackGrant = z.infer<typeof Playback>;

/** The API's answer when a PIN-protected profile has not been unlocked in this browser. */
const PROFILE_LOCKED = 'PROFILE_LOCKED';

export type SessionStart =
  { kind: 'ready'; playback: PlaybackGrant } | { kind: 'profile-locked' } | { kind: 'problem'; problem: PlayerProblem };

function problemOf(error: unknown): PlayerProblem {
  if (!(error instanceof ApiError)) return { kind: 'network', reason: 'unknown' };
  const reason = (error.details as { reason?: string } | undefined)?.reason;
  if (reason === 'premium_required') return { kind: 'premium', signedIn: error.status !== 401 };
  if (error.status === 401) return { kind: 'sign-in' };
  if (error.status === 403) return { kind: 'restricted' };
  if (error.status === 404) return { kind: 'not-found' };
  // Both are 409s: only the code tells "still transcoding" from "too many streams at once".
  if (error.code === 'STREAM_LIMIT_REACHED') return { kind: 'stream-limit', message: error.message };
  if (error.status === 409) return { kind: 'not-ready' };
  if (error.code === 'NETWORK') return { kind: 'network', reason: 'offline' };
  return { kind: 'network', reason: 'unreachable' };
}

/**
 * Asks the API for a session. `asProfile` sends the selected profile (resume position, maturity
 * limit, progress); signed-out viewers play free titles without one.
 */
export async function startSession(
  titleId: string,
  episodeId: string | null,
  asProfile: boolean,
): Promise<SessionStart> {
  try {
    const playback = await api<PlaybackGrant>('/v1/playback', {
      method: 'POST',
      body: { titleId, ...(episodeId ? { episodeId } : {}) },
      asProfile,
    });
    return { kind: 'ready', playback };
  } catch (error) {
    if (error instanceof ApiError && error.code === PROFILE_LOCKED) return { kind: 'profile-locked' };
    return { kind: 'problem', problem: problemOf(error) };
  }
}

export interface Heartbeat {
  token: string;
  positionSeconds: number;
  durationSeconds: number;
  rendition?: string;
  bytes?: number;
}

/** Saves the position; failures are dropped (the next beat carries a newer position anyway). */
export function sendHeartbeat(beat: Heartbeat, keepalive: boolean): void {
  api('/v1/playback/heartbeat', {
    method: 'POST',
    asProfile: true,
    keepalive,
    body: { ...beat, clientTime: new Date().toISOString() },
  }).catch(() => undefined);
}

/** The player stopped: the stream stops counting towards the plan's stream limit at once. */
/** Frees the stream at once (the concurrent-stream limit counts it until then); never fails. */
export function stopSession(token: string): Promise<void> {
  return api('/v1/playback/stop', { method: 'POST', keepalive: true, body: { token } }).then(
    () => undefined,
    () => undefined,
  );
}

export async function saveDataSaver(profileId: string, dataSaver: Profile['dataSaver']): Promise<void> {
  await api<Profile>(`/v1/profiles/${encodeURIComponent(profileId)}`, { method: 'PATCH', body: { dataSaver } });
}
