'use client';
import { useEffect, useRef } from 'react';

export type PlayerProblem =
  | { kind: 'premium'; signedIn: boolean }
  | { kind: 'sign-in' }
  | { kind: 'restricted' }
  | { kind: 'not-found' }
  | { kind: 'not-ready' }
  /** The plan's concurrent-stream limit: the API's message names the other devices. */
  | { kind: 'stream-limit'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'media' };

interface ProblemProps {
  problem: PlayerProblem;
  /** This page, for "sign in and come back". */
  watchPath: string;
  titleHref: string;
  onRetry(): void;
}

const primary =
  'inline-flex min-h-11 items-center justify-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90';
const secondary =
  'inline-flex min-h-11 items-center justify-center rounded-md border border-white/30 px-4 font-semibold text-white hover:border-gold hover:text-gold';

/** What went wrong, in the viewer's terms, and the one thing to do next. Replaces the video. */
export function Problem({ problem, watchPath, titleHref, onRetry }: ProblemProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const signIn = `/login?next=${encodeURIComponent(watchPath)}`;

  let title: string;
  let body: string;
  let actions: React.ReactNode;
  switch (problem.kind) {
    case 'premium':
      title = 'This title needs Premium';
      body = problem.signedIn
        ? 'Watch it with a Kush Films pass or subscription, paid by mobile money or card.'
        : 'Sign in if you already have a pass or subscription, or choose a plan paid by mobile money or card.';
      actions = (
        <>
          <a href="/plans" className={primary}>
            See plans
          </a>
          {problem.signedIn ? null : (
            <a href={signIn} className={secondary}>
              Sign in
            </a>
          )}
        </>
      );
      break;
    case 'sign-in':
      title = 'Sign in to watch';
      body = 'Your session has ended. Sign in again to carry on where you left off.';
      actions = (
        <a href={signIn} className={primary}>
          Sign in
        </a>
      );
      break;
    case 'restricted':
      title = 'Not available on this profile';
      body = 'This title is rated above what this profile may watch.';
      actions = (
        <a href={`/profiles?next=${encodeURIComponent(watchPath)}`} className={primary}>
          Switch profile
        </a>
      );
      break;
    case 'not-found':
      title = 'We could not find this video';
      body = 'It may have been removed, or the link is wrong.';
      actions = null;
      break;
    case 'not-ready':
      title = 'Not ready to play yet';
      body = 'This title is still being prepared. Please check back soon.';
      actions = null;
      break;
    case 'stream-limit':
      title = 'Already playing on another device';
      body = problem.message;
      actions = (
        <button type="button" onClick={onRetry} className={primary}>
          Try again
        </button>
      );
      break;
    case 'network':
      title = 'Connection problem';
      body = problem.message;
      actions = (
        <button type="button" onClick={onRetry} className={primary}>
          Try again
        </button>
      );
      break;
    case 'media':
      title = 'This video could not be played';
      body = 'Something went wrong while playing. Trying again usually helps.';
      actions = (
        <button type="button" onClick={onRetry} className={primary}>
          Try again
        </button>
      );
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
          Back to title
        </a>
      </div>
    </div>
  );
}
