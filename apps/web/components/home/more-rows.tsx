'use client';
/**
 * The rest of the home page's rows: shows the server's skeletons (headings, "See all" links and
 * empty card frames, the children) until the viewer scrolls within about a screen of them, then
 * asks the server for the real rows (more-rows.action.tsx) and puts them in their place.
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { moreHomeRows } from './more-rows.action';

/** How far ahead of the viewport the rows are fetched: about a phone screen of scrolling. */
const AHEAD = '900px 0px';

type State = { kind: 'waiting' } | { kind: 'loading' } | { kind: 'failed' } | { kind: 'loaded'; rows: ReactNode };

export function MoreRows({
  children,
  strings,
}: {
  children: ReactNode;
  strings: { rowsLoadFailed: string; retry: string };
}) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>({ kind: 'waiting' });

  const load = useCallback(() => {
    setState({ kind: 'loading' });
    moreHomeRows().then(
      (rows) => setState({ kind: 'loaded', rows }),
      () => setState({ kind: 'failed' }),
    );
  }, []);

  useEffect(() => {
    const element = box.current;
    if (!element || state.kind !== 'waiting') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        load();
      },
      { rootMargin: AHEAD },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [state.kind, load]);

  if (state.kind === 'loaded') return <div data-home-rows="loaded">{state.rows}</div>;
  return (
    <div ref={box} data-home-rows={state.kind} aria-busy={state.kind === 'loading'}>
      {state.kind === 'failed' ? (
        <p role="alert" className="mt-8 flex flex-wrap items-center gap-3 text-sm text-muted">
          {strings.rowsLoadFailed}
          <button
            type="button"
            onClick={load}
            className="min-h-11 rounded-md border border-line px-4 font-semibold text-fg hover:border-gold hover:text-gold"
          >
            {strings.retry}
          </button>
        </p>
      ) : null}
      {children}
    </div>
  );
}
