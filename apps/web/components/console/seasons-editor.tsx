'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '@/lib/api/browser';
import { ConfirmDelete, type FieldErrors, FormActions, TextArea, TextField, useSave } from './form';
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
        <summary className="cursor-pointer font-semibold">Add a season</summary>
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

/** Saves a season or an episode (POST adds one, PATCH edits it), then refreshes the page's data. */
function useSeriesSave(path: string, method: 'POST' | 'PATCH', noun: 'Season' | 'Episode') {
  const router = useRouter();
  const save = useSave();
  async function submit(event: FormEvent, body: Record<string, unknown>) {
    event.preventDefault();
    const saved = await save.run(
      () => api(path, { method, body }),
      method === 'POST' ? `${noun} added.` : `${noun} saved.`,
    );
    if (saved) router.refresh();
  }
  return { ...save, submit };
}

/** The state behind NumberedFields, from the season or episode being edited (or the next number). */
function useNumberedFields(initial: { number: number; name?: string | null; synopsis?: string | null }) {
  const [number, setNumber] = useState(String(initial.number));
  const [name, setName] = useState(initial.name ?? '');
  const [synopsis, setSynopsis] = useState(initial.synopsis ?? '');
  return { number, name, synopsis, onNumber: setNumber, onName: setName, onSynopsis: setSynopsis };
}

/** The fields seasons and episodes share: their number, name and synopsis (`children` go between). */
function NumberedFields({
  number,
  name,
  synopsis,
  onNumber,
  onName,
  onSynopsis,
  fieldErrors,
  children,
}: {
  number: string;
  name: string;
  synopsis: string;
  onNumber(value: string): void;
  onName(value: string): void;
  onSynopsis(value: string): void;
  fieldErrors: FieldErrors;
  children?: ReactNode;
}) {
  return (
    <>
      <TextField
        label="Number"
        type="number"
        min={0}
        value={number}
        onChange={(e) => onNumber(e.target.value)}
        errors={fieldErrors.number}
      />
      <TextField label="Name" value={name} onChange={(e) => onName(e.target.value)} errors={fieldErrors.name} />
      {children}
      <TextArea
        label="Synopsis"
        wrapperClassName="sm:col-span-2"
        rows={3}
        value={synopsis}
        onChange={(e) => onSynopsis(e.target.value)}
        errors={fieldErrors.synopsis}
      />
    </>
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
  const { state, submit, saving, fieldErrors } = useSeriesSave(path, method, 'Season');
  const fields = useNumberedFields(initial);
  const { number, name, synopsis } = fields;

  return (
    <form
      onSubmit={(e) =>
        void submit(e, { number: Number(number), name: name.trim() || null, synopsis: synopsis.trim() || null })
      }
      noValidate
      className="mt-3 grid gap-3 sm:grid-cols-[8rem_1fr]"
    >
      <NumberedFields {...fields} fieldErrors={fieldErrors} />
      <FormActions saving={saving} state={state}>
        {method === 'POST' ? 'Add season' : 'Save season'}
      </FormActions>
    </form>
  );
}

function SeasonCard({ season, languages }: { season: StaffSeason; languages: Language[] }) {
  const nextEpisode = Math.max(0, ...season.episodes.map((e) => e.number)) + 1;
  const heading = `Season ${season.number}${season.name ? `: ${season.name}` : ''}`;
  return (
    <section aria-label={heading} className="rounded-lg border border-line p-3 sm:p-4">
      <h3 className="font-semibold">{heading}</h3>
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
                <span className="font-semibold">
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
        <summary className="cursor-pointer text-sm font-semibold">Add an episode</summary>
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
  const { state, submit, saving, fieldErrors } = useSeriesSave(path, method, 'Episode');
  const fields = useNumberedFields(episode ?? { number: nextNumber ?? 1 });
  const { number, name, synopsis } = fields;
  const [runtime, setRuntime] = useState(episode?.runtimeMinutes?.toString() ?? '');
  const [publishAt, setPublishAt] = useState(episode?.publishAt ? utcToKampalaInput(episode.publishAt) : '');

  return (
    <form
      onSubmit={(e) =>
        void submit(e, {
          number: Number(number),
          name,
          synopsis,
          runtimeMinutes: numberOrNull(runtime),
          publishAt: publishAt ? kampalaInputToUtc(publishAt) : null,
        })
      }
      noValidate
      className="mt-3 grid gap-3 sm:grid-cols-2"
    >
      <NumberedFields {...fields} fieldErrors={fieldErrors}>
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
      </NumberedFields>
      <FormActions saving={saving} state={state}>
        {method === 'POST' ? 'Add episode' : 'Save episode'}
      </FormActions>
    </form>
  );
}

/** Deletes a season or an episode after asking. */
function DeleteButton({ path, label }: { path: string; label: string }) {
  return (
    <ConfirmDelete
      path={path}
      label={label}
      question={`${label}?`}
      className="mt-3 flex flex-wrap items-center gap-2 text-sm"
    />
  );
}
