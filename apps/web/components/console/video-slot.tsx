'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '@/lib/api/browser';
import { buttonClass, dangerButtonClass, secondaryButtonClass } from './form-classes';
import { FormStatus, SelectField, SubmitButton, TextField, messageOf, useSave } from './form';
import type { Language, VideoRecord } from './types';
import { StatusBadge } from './ui';
import {
  type PendingUpload,
  type UploadProgress,
  type VideoPurpose,
  forgetPending,
  formatBytes,
  loadPending,
  resumeVideo,
  uploadVideo,
} from './video-upload';

const POLL_MS = 2000;
const TERMINAL = new Set(['ready', 'failed']);

interface Props {
  label: string;
  purpose: VideoPurpose;
  /** The video attached now. */
  videoId: string | null;
  /** PATCH target and field that attach a video to its title or episode. */
  attachPath: string;
  attachField: 'videoId' | 'trailerVideoId';
  /** Where an interrupted upload for this slot is remembered, e.g. `title:<id>:feature`. */
  slot: string;
  languages: Language[];
}

/**
 * One video of a title or episode: its transcode status (polled until ready or failed), a new
 * upload with its progress, resuming an interrupted one, and subtitles once it is ready.
 */
export function VideoSlot({ label, purpose, videoId, attachPath, attachField, slot, languages }: Props) {
  const router = useRouter();
  const inputId = useId();
  const [attachedId, setAttachedId] = useState(videoId);
  const [pending, setPending] = useState<PendingUpload | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => setAttachedId(videoId), [videoId]);

  // An upload interrupted by a reload: only resumable while the API still has it open.
  useEffect(() => {
    const stored = loadPending(slot);
    if (!stored) return;
    api<VideoRecord>(`/v1/admin/videos/${stored.videoId}`)
      .then((video) => (video.status === 'uploading' ? setPending(stored) : forgetPending(slot)))
      .catch(() => forgetPending(slot));
  }, [slot]);

  async function attach(video: VideoRecord) {
    await api(attachPath, { method: 'PATCH', body: { [attachField]: video.id } });
    setAttachedId(video.id);
    router.refresh();
  }

  async function start(file: File, resume: PendingUpload | null) {
    setError(null);
    setBusy(true);
    setProgress({ sentBytes: 0, totalBytes: file.size });
    const controller = new AbortController();
    abort.current = controller;
    try {
      const video = resume
        ? await resumeVideo(file, resume, slot, setProgress, controller.signal)
        : await uploadVideo(file, purpose, slot, setProgress, controller.signal);
      setPending(null);
      await attach(video);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(messageOf(err));
      setPending(loadPending(slot));
    } finally {
      setBusy(false);
      setProgress(null);
      abort.current = null;
    }
  }

  async function discard() {
    if (!pending) return;
    try {
      await api(`/v1/admin/videos/${pending.videoId}/upload`, { method: 'DELETE' });
    } catch {
      // Already gone or finished: nothing left to abort.
    }
    forgetPending(slot);
    setPending(null);
  }

  const percent =
    progress && progress.totalBytes > 0 ? Math.floor((progress.sentBytes / progress.totalBytes) * 100) : 0;

  return (
    <div className="grid gap-3" data-video-slot={purpose}>
      <h3 className="font-semibold">{label}</h3>
      {attachedId ? (
        <VideoStatus videoId={attachedId} languages={languages} />
      ) : (
        <p className="text-sm text-muted">No video yet.</p>
      )}

      {progress ? (
        <div className="grid gap-1" data-upload-progress={percent}>
          <label htmlFor={`${inputId}-progress`} className="text-sm">
            Uploading… {formatBytes(progress.sentBytes)} of {formatBytes(progress.totalBytes)} ({percent}%)
          </label>
          <progress id={`${inputId}-progress`} className="h-3 w-full accent-gold" max={100} value={percent} />
          <button type="button" className={`${secondaryButtonClass} w-fit`} onClick={() => abort.current?.abort()}>
            Pause upload
          </button>
        </div>
      ) : null}

      {!busy && pending ? (
        <div role="region" aria-label="Interrupted upload" className="rounded-md border border-warn/60 p-3 text-sm">
          <p>
            The upload of <strong>{pending.fileName}</strong> ({formatBytes(pending.size)}) was interrupted. Pick the
            same file again to upload the rest.
          </p>
          <div className="mt-2 flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor={`${inputId}-resume`} className="mb-1 block font-semibold">
                Resume with file
              </label>
              <input
                id={`${inputId}-resume`}
                type="file"
                accept="video/*,.mkv,.ts"
                className="text-sm"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void start(file, pending);
                }}
              />
            </div>
            <button type="button" className={dangerButtonClass} onClick={() => void discard()}>
              Discard upload
            </button>
          </div>
        </div>
      ) : null}

      {!busy && !pending ? (
        <div>
          <label htmlFor={`${inputId}-file`} className="mb-1 block text-sm font-semibold">
            {attachedId ? 'Replace with a new file' : 'Upload a video file'}
          </label>
          <input
            id={`${inputId}-file`}
            type="file"
            accept="video/*,.mkv,.ts"
            className="text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-line file:bg-surface-raised file:px-3 file:text-fg"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void start(file, null);
            }}
          />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-down">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A video's transcode status, polled until it is ready or failed; a failed one can be retried. */
export function VideoStatus({ videoId, languages }: { videoId: string; languages: Language[] }) {
  const [video, setVideo] = useState<VideoRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);

  const load = useCallback(async () => {
    try {
      setVideo(await api<VideoRecord>(`/v1/admin/videos/${videoId}`));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [videoId]);

  useEffect(() => {
    setVideo(null);
    void load();
  }, [load]);

  // Every answer is a new object, so each one schedules the next poll until a terminal status.
  useEffect(() => {
    if (!video || TERMINAL.has(video.status)) return;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [video, load]);

  async function retry() {
    setRetrying(true);
    try {
      setVideo(await api<VideoRecord>(`/v1/admin/videos/${videoId}/transcode`, { method: 'POST' }));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setRetrying(false);
    }
  }

  if (!video) {
    return error ? (
      <p role="alert" className="text-sm text-down">
        {error}
      </p>
    ) : (
      <p className="text-sm text-muted">Loading the video…</p>
    );
  }
  const working = video.status === 'uploaded' || video.status === 'processing';
  return (
    <div
      className="grid gap-2 rounded-md bg-surface-raised p-3 text-sm"
      data-video-id={video.id}
      data-video-status={video.status}
    >
      <div className="flex flex-wrap items-center gap-2" role="status" aria-live="polite">
        <StatusBadge status={video.status} />
        <span className="min-w-0 break-all">{video.originalFilename}</span>
        <span className="text-muted">{formatBytes(video.sourceSize)}</span>
        {video.status === 'ready' && video.durationSeconds ? (
          <span className="text-muted">{Math.round(video.durationSeconds)} s</span>
        ) : null}
      </div>
      {working ? (
        <div className="grid gap-1">
          <span>{video.status === 'uploaded' ? 'Waiting for a transcoder…' : `Transcoding… ${video.progress}%`}</span>
          <progress
            className="h-3 w-full accent-gold"
            max={100}
            value={video.progress}
            aria-label="Transcode progress"
          />
        </div>
      ) : null}
      {video.status === 'uploading' ? <span className="text-muted">The upload has not finished.</span> : null}
      {video.status === 'failed' ? (
        <div className="grid gap-2">
          <p className="text-down">
            Transcoding failed: {video.failure?.message ?? 'no reason given'}
            {video.failure?.code ? ` (${video.failure.code})` : ''}
          </p>
          <button type="button" className={`${buttonClass} w-fit`} onClick={() => void retry()} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Retry transcoding'}
          </button>
        </div>
      ) : null}
      {video.status === 'ready' ? (
        <>
          <p className="text-muted">
            {video.renditions.map((r) => `${r.height}p`).join(' · ')}
            {video.subtitles.length ? ` · subtitles: ${video.subtitles.map((s) => s.label).join(', ')}` : ''}
          </p>
          <SubtitlesForm video={video} languages={languages} onSaved={setVideo} />
        </>
      ) : null}
      {error ? (
        <p role="alert" className="text-down">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Adds or replaces the subtitles (SRT or WebVTT) of one language. */
function SubtitlesForm({
  video,
  languages,
  onSaved,
}: {
  video: VideoRecord;
  languages: Language[];
  onSaved: (video: VideoRecord) => void;
}) {
  const { state, run, saving, fieldErrors } = useSave();
  const [language, setLanguage] = useState(languages[0]?.code ?? 'en');
  const [label, setLabel] = useState(languages[0]?.name ?? 'English');
  const [file, setFile] = useState<File | null>(null);
  const fileId = useId();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const content = file ? await file.text() : '';
    const saved = await run(
      () =>
        api<VideoRecord>(`/v1/admin/videos/${video.id}/subtitles`, {
          method: 'PUT',
          body: { language, label, content },
        }),
      'Subtitles saved.',
    );
    if (saved) onSaved(saved);
  }

  if (languages.length === 0) {
    // An install before the reference seed has no languages: there is nothing to pick yet.
    return (
      <p className="text-muted" data-subtitles-unavailable>
        Subtitles are saved per catalog language, and none is defined yet.{' '}
        <Link href="/console/taxonomy" className="underline hover:text-gold">
          Add a language
        </Link>{' '}
        first.
      </p>
    );
  }

  return (
    <details className="rounded-md border border-line p-3">
      <summary className="cursor-pointer font-semibold">Add subtitles</summary>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-3 grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Language"
          value={language}
          onChange={(e) => {
            setLanguage(e.target.value);
            setLabel(languages.find((l) => l.code === e.target.value)?.name ?? label);
          }}
          options={languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
          errors={fieldErrors.language}
        />
        <TextField
          label="Label shown to viewers"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          errors={fieldErrors.label}
        />
        <div className="sm:col-span-2">
          <label htmlFor={fileId} className="mb-1 block text-sm font-semibold">
            SRT or WebVTT file
          </label>
          <input
            id={fileId}
            type="file"
            accept=".srt,.vtt,text/vtt,application/x-subrip"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-describedby={fieldErrors.content ? `${fileId}-error` : undefined}
          />
          {fieldErrors.content ? (
            <p id={`${fileId}-error`} className="mt-1 text-sm text-down">
              {fieldErrors.content.join('; ')}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <SubmitButton saving={saving}>Save subtitles</SubmitButton>
          <FormStatus state={state} />
        </div>
      </form>
    </details>
  );
}
