'use client';
import { useEffect, useRef, type ReactNode } from 'react';
import type { PlayerStrings } from './strings';

/** Why the stream could not be reached, each worded in the viewer's language. */
export type NetworkReason = 'stalled' | 'offline' | 'unreachable' | 'unknown';

export type PlayerProblem =
  | { kind: 'premium'; signedIn: boolean }
  | { kind: 'sign-in' }
  | { kind: 'restricted' }
  | { kind: 'not-found' }
  | { kind: 'not-ready' }
  /** The plan's concurrent-stream limit: the API's message names the other devices. */
  | { kind: 'stream-limit'; message: string }
  | { kind: 'network'; reason: NetworkReason }
  | { kind: 'media' };

interface ProblemProps {
  problem: PlayerProblem;
  /** This page, for "sign in and come back". */
  watchPath: string;
  titleHref: string;
  onRetry(): void;
  strings: PlayerStrings;
}

const primary =
  'inline-flex min-h-11 items-center justify-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90';
const secondary =
  'inline-flex min-h-11 items-center justify-center rounded-md border border-white/30 px-4 font-semibold text-white hover:border-gold hover:text-gold';

const NETWORK_MESSAGES: Record<NetworkReason, keyof PlayerStrings> = {
  stalled: 'problemStalled',
  offline: 'problemOffline',
  unreachable: 'problemUnreachable',
  unknown: 'errorGeneric',
};

/** What went wrong, in the viewer's terms, and the one thing to do next. Replaces the video. */
export function Problem({ problem, watchPath, titleHref, onRetry, strings: t }: ProblemProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const signIn = (className: string) => (
    <a href={`/login?next=${encodeURIComponent(watchPath)}`} className={className}>
      {t.problemSignIn}
    </a>
  );
  const tryAgain = (
    <button type="button" onClick={onRetry} className={primary}>
      {t.retry}
    </button>
  );

  let title: string;
  let body: string;
  let actions: ReactNode = null;
  switch (problem.kind) {
    case 'premium':
      title = t.problemPremiumTitle;
      body = problem.signedIn ? t.problemPremiumBody : t.problemPremiumSignedOut;
      actions = (
        <>
          <a href="/plans" className={primary}>
            {t.seePlans}
          </a>
          {problem.signedIn ? null : signIn(secondary)}
        </>
      );
      break;
    case 'sign-in':
      title = t.problemSignInTitle;
      body = t.problemSignInBody;
      actions = signIn(primary);
      break;
    case 'restricted':
      title = t.problemRestrictedTitle;
      body = t.problemRestrictedBody;
      actions = (
        <a href={`/profiles?next=${encodeURIComponent(watchPath)}`} className={primary}>
          {t.problemSwitchProfile}
        </a>
      );
      break;
    case 'not-found':
      title = t.problemNotFoundTitle;
      body = t.problemNotFoundBody;
      break;
    case 'not-ready':
      title = t.problemNotReadyTitle;
      body = t.problemNotReadyBody;
      break;
    case 'stream-limit':
      title = t.problemStreamLimitTitle;
      body = problem.message;
      actions = tryAgain;
      break;
    case 'network':
      title = t.problemNetworkTitle;
      body = t[NETWORK_MESSAGES[problem.reason]];
      actions = tryAgain;
      break;
    case 'media':
      title = t.problemMediaTitle;
      body = t.problemMediaBody;
      actions = tryAgain;
      break;
  }

  return (
    <div
      role="alert"
      data-problem={problem.kind}
      className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-ink/90 p-4 text-center text-white sm:p-8"
    >
      <h2 ref={heading} tabIndex={-1} className="text-xl font-black text-balance sm:text-2xl">
        {title}
      </h2>
      <p className="max-w-prose text-sm text-white/80 sm:text-base">{body}</p>
      <div className="mt-2 flex flex-wrap justify-center gap-3">
        {actions}
        <a href={titleHref} className={secondary}>
          {t.problemBackToTitle}
        </a>
      </div>
    </div>
  );
}
