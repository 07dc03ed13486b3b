'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import { dangerButtonClass } from './form-classes';
import { FormStatus, SubmitButton, TextArea, TextField, useSave } from './form';
import { kampalaInputToUtc, utcToKampalaInput } from './kampala';
import type { Language, StaffEpisode, StaffSeason } from './types';
import { VideoSlot } from './video-slot';

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** Seasons and episodes of a series: add, edit, delete, and a video per episode. */
export function SeasonsEditor({
  titleId,
  seasons,
  languages,
}: {
  titleId: string;
  seasons: StaffSeason[];
  languages: Language[];
}) {
  const nextNumber = Math.max(0, ...seasons.map((s) => s.number)) + 1;
  return (
    <div className="grid gap-4">
      {seasons.length === 0 ? <p className="text-sm text-muted">No seasons yet.</p> : null}
      {seasons.map((season) => (
        <SeasonCard key={season.id} season={season} languages={languages} />
      ))}
      <details className="rounded-lg border border-line p-3">
        <summary className="cursor-pointer font-medium">Add a season</summary>
        <SeasonForm
          key={nextNumber}
          path={`/v1/admin/titles/${titleId}/seasons`}
          method="POST"
          initial={{ number: nextNumber }}
        />
      </details>
    </div>
  );
}

function SeasonForm({
  path,
  method,
  initial,
}: {
  path: string;
  method: 'POST' | 'PATCH';
  initial: { number: number; name?: string | null; synopsis?: string | null };
}) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [number, setNumber] = useState(String(initial.number));
  const [name, setName] = useState(initial.name ?? '');
  const [synopsis, setSynopsis] = useState(initial.synopsis ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const saved = await run(
      () =>
        api(path, {
          method,
          body: { number: Number(number), name: name.trim() || null, synopsis: synopsis.trim() || null },
        }),
      method === 'POST' ? 'Season added.' : 'Season saved.',
    );
    if (saved) router.refresh();
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-3 grid gap-3 sm:grid-cols-[8rem_1fr]">
      <TextField
        label="Number"
        type="number"
        min={0}
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        errors={fieldErrors.number}
      />
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fieldErrors.name} />
      <TextArea
        label="Synopsis"
        wrapperClassName="sm:col-span-2"
        rows={3}
        value={synopsis}
        onChange={(e) => setSynopsis(e.target.value)}
        errors={fieldErrors.synopsis}
      />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton saving={saving}>{method === 'POST' ? 'Add season' : 'Save season'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

function SeasonCard({ season, languages }: { season: StaffSeason; languages: Language[] }) {
  const nextEpisode = Math.max(0, ...season.episodes.map((e) => e.number)) + 1;
  const heading = `Season ${season.number}${season.name ? `: ${season.name}` : ''}`;
  return (
    <section aria-label={heading} className="rounded-lg border border-line p-3 sm:p-4">
      <h3 className="font-bold">{heading}</h3>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-muted">Edit season</summary>
        <SeasonForm path={`/v1/admin/seasons/${season.id}`} method="PATCH" initial={season} />
        <DeleteButton
          path={`/v1/admin/seasons/${season.id}`}
          label={`Delete season ${season.number} and its episodes`}
        />
      </details>
      <ol className="mt-3 grid gap-2">
        {season.episodes.map((episode) => (
          <li key={episode.id} className="rounded-md bg-surface-raised p-3">
            <details>
              <summary className="cursor-pointer">
                <span className="font-medium">
                  {episode.number}. {episode.name}
                </span>{' '}
                <span className="text-sm text-muted">{episode.videoId ? '· video attached' : '· no video'}</span>
              </summary>
              <EpisodeForm path={`/v1/admin/episodes/${episode.id}`} method="PATCH" episode={episode} />
              <div className="mt-3">
                <VideoSlot
                  label="Episode video"
                  purpose="episode"
                  videoId={episode.videoId}
                  attachPath={`/v1/admin/episodes/${episode.id}`}
                  attachField="videoId"
                  slot={`episode:${episode.id}`}
                  languages={languages}
                />
              </div>
              <DeleteButton path={`/v1/admin/episodes/${episode.id}`} label={`Delete episode ${episode.number}`} />
            </details>
          </li>
        ))}
      </ol>
      <details className="mt-3">
        <summary className="cursor-pointer text-sm font-medium">Add an episode</summary>
        <EpisodeForm
          key={nextEpisode}
          path={`/v1/admin/seasons/${season.id}/episodes`}
          method="POST"
          nextNumber={nextEpisode}
        />
      </details>
    </section>
  );
}

function EpisodeForm({
  path,
  method,
  episode,
  nextNumber,
}: {
  path: string;
  method: 'POST' | 'PATCH';
  episode?: StaffEpisode;
  nextNumber?: number;
}) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [number, setNumber] = useState(String(episode?.number ?? nextNumber ?? 1));
  const [name, setName] = useState(episode?.name ?? '');
  const [synopsis, setSynopsis] = useState(episode?.synopsis ?? '');
  const [runtime, setRuntime] = useState(episode?.runtimeMinutes?.toString() ?? '');
  const [publishAt, setPublishAt] = useState(episode?.publishAt ? utcToKampalaInput(episode.publishAt) : '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const saved = await run(
      () =>
        api(path, {
          method,
          body: {
            number: Number(number),
            name,
            synopsis,
            runtimeMinutes: numberOrNull(runtime),
            publishAt: publishAt ? kampalaInputToUtc(publishAt) : null,
          },
        }),
      method === 'POST' ? 'Episode added.' : 'Episode saved.',
    );
    if (saved) router.refresh();
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-3 grid gap-3 sm:grid-cols-2">
      <TextField
        label="Number"
        type="number"
        min={0}
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        errors={fieldErrors.number}
      />
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fieldErrors.name} />
      <TextField
        label="Runtime (minutes)"
        type="number"
        min={1}
        value={runtime}
        onChange={(e) => setRuntime(e.target.value)}
        errors={fieldErrors.runtimeMinutes}
      />
      <TextField
        label="Release (Kampala time)"
        type="datetime-local"
        value={publishAt}
        onChange={(e) => setPublishAt(e.target.value)}
        hint="Empty: released with the series"
        errors={fieldErrors.publishAt}
      />
      <TextArea
        label="Synopsis"
        wrapperClassName="sm:col-span-2"
        rows={3}
        value={synopsis}
        onChange={(e) => setSynopsis(e.target.value)}
        errors={fieldErrors.synopsis}
      />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton saving={saving}>{method === 'POST' ? 'Add episode' : 'Save episode'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

function DeleteButton({ path, label }: { path: string; label: string }) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [confirming, setConfirming] = useState(false);
  async function remove() {
    const done = await run(async () => {
      await api(path, { method: 'DELETE' });
      return true;
    }, 'Deleted.');
    if (done) router.refresh();
  }
  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      {confirming ? (
        <>
          <span>{label}?</span>
          <button type="button" className={dangerButtonClass} disabled={saving} onClick={() => void remove()}>
            Yes, delete
          </button>
          <button
            type="button"
            className={dangerButtonClass.replace('text-down', 'text-fg')}
            onClick={() => setConfirming(false)}
          >
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className={dangerButtonClass} onClick={() => setConfirming(true)}>
          {label}
        </button>
      )}
      <FormStatus state={state} />
    </div>
  );
}
