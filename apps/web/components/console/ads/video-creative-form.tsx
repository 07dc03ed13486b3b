'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AD_MAX_SECONDS, AD_MIN_SECONDS } from '@kush/contracts';
import { api, ApiError } from '@/lib/api/browser';
import { secondaryButtonClass } from '../form-classes';
import { FieldError, FormStatus, type SaveState, SubmitButton, TextField, fieldErrorsOf, messageOf } from '../form';
import type { VideoRecord } from '../types';
import { StatusBadge } from '../ui';
import { formatBytes, type UploadProgress } from '../video-upload';
import { getAdVideo, uploadAdVideo } from './ad-video-upload';
import { clickUrlProblem } from './format';
import type { AdCreatedCreative } from './types';

const POLL_MS = 2000;
const STORAGE_PREFIX = 'kf-console-ad-video:';

/** What a reload needs to keep waiting for the transcode and then add the creative: no file, no token. */
interface Remembered {
  videoId: string;
  fileName: string;
  name: string;
  clickUrl: string;
  skippable: boolean;
  skipAfter: string;
}

function remembered(campaignId: string): Remembered | null {
  try {
    const raw = localStorage.getItem(STORAGE_PREFIX + campaignId);
    return raw ? (JSON.parse(raw) as Remembered) : null;
  } catch {
    return null;
  }
}

function problems(details: { path: string; message: string }[]): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', 'Check the highlighted fields.', details);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('Stopped', 'AbortError'));
      },
      { once: true },
    );
  });

/**
 * A video pre-roll: the file goes straight to storage with a progress bar, the page follows the
 * transcode until the ad ladder is ready, then adds the creative. A reload while transcoding picks
 * the wait up again; a refused creative (say, a skip offset past the end) keeps the ready video so
 * fixing the field does not mean uploading again.
 */
export function VideoCreativeForm({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const fileId = useId();
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const saving = state.status === 'saving';
  const fieldErrors = state.status === 'error' ? state.fieldErrors : {};
  const [name, setName] = useState('');
  const [clickUrl, setClickUrl] = useState('');
  const [skippable, setSkippable] = useState(true);
  const [skipAfter, setSkipAfter] = useState('5');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [video, setVideo] = useState<VideoRecord | null>(null);
  const abort = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const storageKey = STORAGE_PREFIX + campaignId;

  useEffect(() => () => abort.current?.abort(), []);

  function fields() {
    const bad: { path: string; message: string }[] = [];
    if (!name.trim()) bad.push({ path: 'name', message: 'Give the creative a name.' });
    const urlProblem = clickUrlProblem(clickUrl);
    if (urlProblem) bad.push({ path: 'clickUrl', message: urlProblem });
    let skipAfterSeconds: number | null = null;
    if (skippable) {
      if (!/^\d+$/.test(skipAfter.trim()) || Number(skipAfter) > AD_MAX_SECONDS) {
        bad.push({ path: 'skipAfterSeconds', message: `Enter whole seconds from 0 to ${AD_MAX_SECONDS}.` });
      } else skipAfterSeconds = Number(skipAfter);
    }
    return { bad, body: { name: name.trim(), clickUrl: clickUrl.trim(), skipAfterSeconds } };
  }

  /** Follows the transcode, then adds the creative; the video stays held if the API refuses it. */
  async function finish(videoId: string, signal: AbortSignal, body: ReturnType<typeof fields>['body']) {
    let current: VideoRecord;
    try {
      current = await getAdVideo(videoId, signal);
    } catch (error) {
      // A remembered video that is gone will never be ready: forget it rather than fail on every visit.
      if (error instanceof ApiError && error.status === 404) localStorage.removeItem(storageKey);
      throw error;
    }
    setVideo(current);
    while (current.status !== 'ready' && current.status !== 'failed') {
      await sleep(POLL_MS, signal);
      current = await getAdVideo(videoId, signal);
      setVideo(current);
    }
    if (current.status === 'failed') {
      localStorage.removeItem(storageKey);
      throw problems([
        {
          path: 'file',
          message: `Transcoding failed: ${current.failure?.message ?? 'no reason given'}. Upload the file again, or another one.`,
        },
      ]);
    }
    const duration = current.durationSeconds ?? 0;
    if (duration < AD_MIN_SECONDS - 0.5 || duration > AD_MAX_SECONDS + 0.5) {
      throw problems([
        {
          path: 'file',
          message: `A pre-roll must last ${AD_MIN_SECONDS} to ${AD_MAX_SECONDS} seconds; this video lasts ${duration.toFixed(1)}. Choose another file.`,
        },
      ]);
    }
    const created = await api<AdCreatedCreative>(`/v1/admin/ads/campaigns/${campaignId}/creatives`, {
      method: 'POST',
      body: { kind: 'video', videoId, ...body },
      signal,
    });
    localStorage.removeItem(storageKey);
    return created;
  }

  function done() {
    setVideo(null);
    setName('');
    setClickUrl('');
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
    router.refresh();
  }

  /** One upload-and-add at a time; a stopped one (page left, file discarded) reports nothing. */
  async function go(work: (signal: AbortSignal) => Promise<AdCreatedCreative>) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ status: 'saving' });
    try {
      await work(controller.signal);
      if (controller.signal.aborted) return;
      setState({ status: 'saved', message: 'Pre-roll added. It serves while the campaign runs.' });
      done();
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ status: 'error', message: messageOf(error), fieldErrors: fieldErrorsOf(error) });
    } finally {
      if (abort.current === controller) setProgress(null);
    }
  }

  // A reload during the transcode: the same fields, and the wait goes on.
  useEffect(() => {
    const saved = remembered(campaignId);
    if (!saved) return;
    setName(saved.name);
    setClickUrl(saved.clickUrl);
    setSkippable(saved.skippable);
    setSkipAfter(saved.skipAfter);
    const body = {
      name: saved.name,
      clickUrl: saved.clickUrl,
      skipAfterSeconds: saved.skippable ? Number(saved.skipAfter) : null,
    };
    // Runs once per campaign page; `go` and `finish` use only setters, refs and the campaign id.
    void go((signal) => finish(saved.videoId, signal, body));
  }, [campaignId]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { bad, body } = fields();
    const held = video?.status === 'ready' ? video : null;
    if (!held && !file) bad.push({ path: 'file', message: 'Choose the video file of the ad.' });
    await go(async (signal) => {
      if (bad.length) throw problems(bad);
      if (held) return finish(held.id, signal, body);
      setVideo(null);
      setProgress({ sentBytes: 0, totalBytes: file!.size });
      let uploaded: VideoRecord;
      try {
        uploaded = await uploadAdVideo(file!, {
          slot: `ad-campaign:${campaignId}`,
          onProgress: setProgress,
          signal,
        });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
          throw problems([{ path: 'file', message: error.message }]);
        }
        throw error;
      }
      setProgress(null);
      const entry: Remembered = {
        videoId: uploaded.id,
        fileName: file!.name,
        name: body.name,
        clickUrl: body.clickUrl,
        skippable,
        skipAfter,
      };
      localStorage.setItem(storageKey, JSON.stringify(entry));
      return finish(uploaded.id, signal, body);
    });
  }

  function discardVideo() {
    abort.current?.abort();
    localStorage.removeItem(storageKey);
    setVideo(null);
    setState({ status: 'idle' });
  }

  const percent =
    progress && progress.totalBytes > 0 ? Math.floor((progress.sentBytes / progress.totalBytes) * 100) : 0;
  const fileErrors = [
    ...(fieldErrors.file ?? []),
    ...(fieldErrors.videoId ?? []),
    ...(fieldErrors.filename ?? []),
    ...(fieldErrors.size ?? []),
    ...(fieldErrors.contentType ?? []),
  ];
  const working =
    video && (video.status === 'uploaded' || video.status === 'processing' || video.status === 'uploading');
  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      className="grid grid-cols-1 gap-4"
      aria-label="Add a video pre-roll"
      data-video-creative-form
    >
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          label="Pre-roll name"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrors.name}
        />
        <TextField
          label="Pre-roll click-through URL"
          type="url"
          inputMode="url"
          placeholder="https://"
          value={clickUrl}
          onChange={(e) => setClickUrl(e.target.value)}
          hint="http:// or https:// only"
          errors={fieldErrors.clickUrl}
        />
        <div className="grid content-start gap-2">
          <label className="inline-flex min-h-11 items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-gold"
              checked={skippable}
              onChange={(e) => setSkippable(e.target.checked)}
            />
            Viewers may skip it
          </label>
          {skippable ? (
            <TextField
              label="Skip button after (seconds)"
              type="number"
              inputMode="numeric"
              min={0}
              max={AD_MAX_SECONDS}
              value={skipAfter}
              onChange={(e) => setSkipAfter(e.target.value)}
              errors={fieldErrors.skipAfterSeconds}
            />
          ) : (
            <FieldError errors={fieldErrors.skipAfterSeconds} />
          )}
        </div>
        <div>
          {video?.status === 'ready' ? (
            <div className="grid grid-cols-1 gap-2 text-sm">
              <p>
                Using the uploaded video <strong className="break-all">{video.originalFilename}</strong>
                {video.durationSeconds ? ` (${Math.round(video.durationSeconds)} s)` : ''}.
              </p>
              <button
                type="button"
                className={`${secondaryButtonClass} w-fit`}
                onClick={discardVideo}
                disabled={saving}
              >
                Use another file
              </button>
            </div>
          ) : (
            <>
              <label htmlFor={fileId} className="mb-1 block text-sm font-semibold">
                Pre-roll video file
              </label>
              <input
                id={fileId}
                ref={fileInput}
                type="file"
                accept="video/*,.mkv,.ts"
                disabled={saving}
                aria-describedby={`${fileId}-hint${fileErrors.length ? ` ${fileId}-error` : ''}`}
                aria-invalid={fileErrors.length ? true : undefined}
                className="text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-line file:bg-surface-raised file:px-3 file:text-fg"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
              <p id={`${fileId}-hint`} className="mt-1 text-xs text-muted">
                {AD_MIN_SECONDS}–{AD_MAX_SECONDS} seconds, up to 200 MB. Transcoded to 144p, 240p and 360p.
              </p>
            </>
          )}
          <FieldError id={`${fileId}-error`} errors={fileErrors} />
        </div>
      </div>

      {progress ? (
        <div className="grid grid-cols-1 gap-1" data-upload-progress={percent}>
          <label htmlFor={`${fileId}-progress`} className="text-sm">
            Uploading… {formatBytes(progress.sentBytes)} of {formatBytes(progress.totalBytes)} ({percent}%)
          </label>
          <progress id={`${fileId}-progress`} className="h-3 w-full accent-gold" max={100} value={percent} />
        </div>
      ) : null}

      {video ? (
        <div
          className="grid grid-cols-1 gap-2 rounded-md bg-surface-raised p-3 text-sm"
          data-ad-video-id={video.id}
          data-ad-video-status={video.status}
        >
          <p className="flex flex-wrap items-center gap-2" role="status" aria-live="polite">
            <StatusBadge status={video.status} />
            <span className="min-w-0 break-all">{video.originalFilename}</span>
            <span className="text-muted">{formatBytes(video.sourceSize)}</span>
          </p>
          {working ? (
            <>
              <span>
                {video.status === 'processing' ? `Transcoding… ${video.progress}%` : 'Waiting for a transcoder…'}
              </span>
              <progress
                className="h-3 w-full accent-gold"
                max={100}
                value={video.progress}
                aria-label="Transcode progress"
              />
              <span className="text-xs text-muted">
                You can leave this page; the pre-roll is added once it is ready.
              </span>
            </>
          ) : null}
        </div>
      ) : null}

      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton saving={saving} savingText={progress ? 'Uploading…' : 'Working…'}>
          {video?.status === 'ready' ? 'Add pre-roll' : 'Upload and add pre-roll'}
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
