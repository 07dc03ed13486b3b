'use client';
import type { Download } from '@kush/contracts';
import { useRef, useState } from 'react';
import { api, ApiError } from '@/lib/api/browser';
import type { Dictionary } from '@/lib/i18n/en';
import { fill } from '@/lib/i18n/locales';
import { megabytes, offlineSupported, saveDownload } from './offline-store';

export type DownloadButtonStrings = Pick<
  Dictionary,
  | 'downloadButton'
  | 'downloadDownloading'
  | 'downloadProgress'
  | 'downloadDone'
  | 'downloadSeeAll'
  | 'downloadFailed'
  | 'downloadUnsupported'
  | 'downloadCancel'
  | 'errorGeneric'
>;

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; done: number; total: number }
  | { kind: 'done'; bytes: number }
  | { kind: 'failed'; message: string };

/**
 * Asks the API for a download (one rendition, signed file URLs) and stores every file in the
 * device's download cache, with the bytes done out of the total as it goes.
 */
export function DownloadButton({
  t,
  titleId,
  episodeId,
}: {
  t: DownloadButtonStrings;
  titleId: string;
  episodeId: string | null;
}) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);

  async function start() {
    if (!offlineSupported()) {
      setState({ kind: 'failed', message: t.downloadUnsupported });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'busy', done: 0, total: 0 });
    try {
      const download = await api<Download>('/v1/downloads', {
        method: 'POST',
        asProfile: true,
        body: episodeId ? { titleId, episodeId } : { titleId },
        signal: controller.signal,
      });
      await saveDownload(download, (done, total) => setState({ kind: 'busy', done, total }), controller.signal);
      setState({ kind: 'done', bytes: download.bytes });
    } catch (error) {
      if (controller.signal.aborted) {
        setState({ kind: 'idle' });
        return;
      }
      const reason = error instanceof ApiError ? error.message : t.errorGeneric;
      setState({ kind: 'failed', message: fill(t.downloadFailed, { reason }) });
    } finally {
      abort.current = null;
    }
  }

  const busy = state.kind === 'busy';
  return (
    <div className="mt-3 max-w-sm" data-testid="download">
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => void start()}
          disabled={busy}
          className="inline-flex min-h-11 items-center gap-2 rounded-md border border-line px-4 font-semibold hover:border-gold disabled:opacity-60"
        >
          <span aria-hidden="true">⬇</span> {busy ? t.downloadDownloading : t.downloadButton}
        </button>
        {busy ? (
          <button
            type="button"
            onClick={() => abort.current?.abort()}
            className="min-h-11 rounded-md px-3 text-sm underline underline-offset-4"
          >
            {t.downloadCancel}
          </button>
        ) : null}
      </div>
      {busy ? (
        <div className="mt-2">
          <progress
            className="h-2 w-full accent-gold"
            max={state.total || 1}
            value={state.done}
            aria-label={t.downloadDownloading}
          />
          <p className="mt-1 text-sm tabular-nums text-muted" aria-live="polite" data-testid="download-progress">
            {fill(t.downloadProgress, { done: megabytes(state.done), total: megabytes(state.total) })}
          </p>
        </div>
      ) : null}
      {state.kind === 'done' ? (
        <p className="mt-2 text-sm" role="status" data-testid="download-done">
          {t.downloadDone} ({megabytes(state.bytes)} MB) ·{' '}
          <a href="/downloads" className="text-gold underline underline-offset-4">
            {t.downloadSeeAll}
          </a>
        </p>
      ) : null}
      {state.kind === 'failed' ? (
        <p className="mt-2 text-sm text-down" role="alert">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
