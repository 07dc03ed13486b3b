'use client';
/**
 * Plays a downloaded title from the device. hls.js is imported statically so that its script is
 * one of the page's own, cached with the download (offline-store.ts), and the player opens with no
 * network; the service worker answers every playlist and segment URL from the download cache.
 */
import Hls from 'hls.js';
import { useEffect, useRef, useState } from 'react';
import type { Dictionary } from '@/lib/i18n/en';
import { type SavedDownload, savedDownload } from './offline-store';

export type OfflinePlayerStrings = Pick<
  Dictionary,
  'downloadsNotOnDevice' | 'downloadsExpired' | 'downloadsBack' | 'problemMediaBody'
>;

type State = { kind: 'loading' } | { kind: 'ready'; item: SavedDownload } | { kind: 'missing' | 'expired' | 'failed' };

export function OfflinePlayer({ id, t }: { id: string; t: OfflinePlayerStrings }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const item = savedDownload(id);
    if (!item) setState({ kind: 'missing' });
    else if (Date.parse(item.expiresAt) <= Date.now()) setState({ kind: 'expired' });
    else setState({ kind: 'ready', item });
  }, [id]);

  const masterUrl = state.kind === 'ready' ? state.item.masterUrl : null;
  useEffect(() => {
    const element = video.current;
    if (!masterUrl || !element) return;
    if (!Hls.isSupported()) {
      // iOS Safari plays HLS itself; the service worker answers its requests the same way.
      element.src = masterUrl;
      return;
    }
    const hls = new Hls({ maxBufferLength: 30, backBufferLength: 30 });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) setState({ kind: 'failed' });
    });
    hls.loadSource(masterUrl);
    hls.attachMedia(element);
    return () => hls.destroy();
  }, [masterUrl]);

  const message =
    state.kind === 'missing'
      ? t.downloadsNotOnDevice
      : state.kind === 'expired'
        ? t.downloadsExpired
        : state.kind === 'failed'
          ? t.problemMediaBody
          : null;

  return (
    <div>
      {state.kind === 'ready' ? (
        <h1 className="mb-3 text-2xl font-black tracking-tight">
          {state.item.title.name}
          {state.item.title.episode ? (
            <span className="ml-2 text-base font-normal text-muted">{state.item.title.episode.name}</span>
          ) : null}
        </h1>
      ) : null}
      {message ? (
        <p role="alert" className="rounded-lg border border-line p-4">
          {message}
        </p>
      ) : null}
      {state.kind === 'ready' || state.kind === 'failed' ? (
        <video
          ref={video}
          controls
          autoPlay
          playsInline
          className="aspect-video w-full rounded-lg bg-black"
          data-testid="offline-video"
        />
      ) : null}
      <p className="mt-4">
        <a href="/downloads" className="text-gold underline underline-offset-4">
          {t.downloadsBack}
        </a>
      </p>
    </div>
  );
}
