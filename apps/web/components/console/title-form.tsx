'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ACCESS_TIERS, CREDIT_ROLES, MATURITY_RATING_VALUES, TITLE_KINDS } from '@kush/contracts';
import { api } from '@/lib/api/browser';
import { secondaryButtonClass, smallButtonClass } from './form-classes';
import {
  CheckboxGroup,
  FieldError,
  FormStatus,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  messageOf,
  useSave,
} from './form';
import type { Genre, Language, Page, StaffCategory, StaffPerson, StaffTitle } from './types';

type CreditRole = (typeof CREDIT_ROLES)[number];
interface CreditRow {
  personId: string;
  personName: string;
  role: CreditRole;
  character: string;
}

interface Props {
  /** Absent: the form creates a new title. */
  title?: StaffTitle;
  genres: Genre[];
  languages: Language[];
  /** Every category, to put the title in rows (edit only). */
  categories?: StaffCategory[];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

export function TitleForm({ title, genres, languages, categories = [] }: Props) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [kind, setKind] = useState<(typeof TITLE_KINDS)[number]>(title?.kind ?? 'film');
  const [name, setName] = useState(title?.name ?? '');
  const [slug, setSlug] = useState(title?.slug ?? '');
  const [synopsis, setSynopsis] = useState(title?.synopsis ?? '');
  const [year, setYear] = useState(title?.year?.toString() ?? '');
  const [runtime, setRuntime] = useState(title?.runtimeMinutes?.toString() ?? '');
  const [originalLanguage, setOriginalLanguage] = useState(title?.originalLanguage ?? '');
  const [audioLanguages, setAudioLanguages] = useState<string[]>(title?.audioLanguages ?? []);
  const [subtitleLanguages, setSubtitleLanguages] = useState<string[]>(title?.subtitleLanguages ?? []);
  const [maturityRating, setMaturityRating] = useState(title?.maturityRating ?? '13');
  const [accessTier, setAccessTier] = useState(title?.accessTier ?? 'free');
  const [country, setCountry] = useState(title?.country ?? 'UG');
  const [tags, setTags] = useState((title?.tags ?? []).join(', '));
  const [featured, setFeatured] = useState(title?.featured ?? false);
  const [genreIds, setGenreIds] = useState<string[]>(title?.genres.map((g) => g.id) ?? []);
  const [credits, setCredits] = useState<CreditRow[]>(
    title?.credits.map((c) => ({
      personId: c.person.id,
      personName: c.person.name,
      role: c.role,
      character: c.character ?? '',
    })) ?? [],
  );
  const initialCategoryIds = title?.categories.map((c) => c.id) ?? [];
  const [categoryIds, setCategoryIds] = useState<string[]>(initialCategoryIds);

  const languageOptions = languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));

  function body() {
    const tagList = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    return {
      name,
      ...(slug.trim() ? { slug: slug.trim() } : {}),
      synopsis,
      year: numberOrNull(year),
      runtimeMinutes: numberOrNull(runtime),
      originalLanguage: originalLanguage || null,
      audioLanguages,
      subtitleLanguages,
      maturityRating,
      accessTier,
      country: country.trim() || null,
      tags: tagList,
      featured,
      genreIds,
      credits: credits.map((c) => ({ personId: c.personId, role: c.role, character: c.character.trim() || null })),
    };
  }

  /** Categories hold their titles in order: joining appends this title, leaving removes it. */
  async function saveCategories(titleId: string) {
    for (const category of categories) {
      const was = initialCategoryIds.includes(category.id);
      const is = categoryIds.includes(category.id);
      if (was === is) continue;
      const titleIds = is ? [...category.titleIds, titleId] : category.titleIds.filter((id) => id !== titleId);
      await api(`/v1/admin/categories/${category.id}/titles`, { method: 'PUT', body: { titleIds } });
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (title) {
      const saved = await run(async () => {
        const updated = await api<StaffTitle>(`/v1/admin/titles/${title.id}`, { method: 'PATCH', body: body() });
        await saveCategories(title.id);
        return updated;
      }, 'Saved.');
      if (saved) router.refresh();
    } else {
      const created = await run(
        () => api<StaffTitle>('/v1/admin/titles', { method: 'POST', body: { kind, ...body() } }),
        'Created. Opening the title…',
      );
      if (created) router.push(`/console/titles/${created.id}`);
    }
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid gap-5" aria-label="Title details">
      <div className="grid gap-4 sm:grid-cols-2">
        {title ? null : (
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            options={TITLE_KINDS.map((k) => ({ value: k, label: k === 'film' ? 'Film' : 'Series' }))}
            errors={fieldErrors.kind}
          />
        )}
        <TextField
          label="Title"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrors.name}
          maxLength={200}
        />
        <TextField
          label="Slug"
          name="slug"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          hint={title ? 'The address of the title page.' : 'Leave empty to make one from the title.'}
          errors={fieldErrors.slug}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
        />
        <TextField
          label="Year"
          name="year"
          type="number"
          inputMode="numeric"
          min={1888}
          max={2100}
          value={year}
          onChange={(e) => setYear(e.target.value)}
          errors={fieldErrors.year}
        />
        <TextField
          label="Runtime (minutes)"
          name="runtimeMinutes"
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          value={runtime}
          onChange={(e) => setRuntime(e.target.value)}
          errors={fieldErrors.runtimeMinutes}
        />
        <SelectField
          label="Maturity rating"
          name="maturityRating"
          value={maturityRating}
          onChange={(e) => setMaturityRating(e.target.value as typeof maturityRating)}
          options={MATURITY_RATING_VALUES.map((r) => ({ value: r, label: r }))}
          errors={fieldErrors.maturityRating}
        />
        <SelectField
          label="Access"
          name="accessTier"
          value={accessTier}
          onChange={(e) => setAccessTier(e.target.value as typeof accessTier)}
          options={ACCESS_TIERS.map((t) => ({
            value: t,
            label: t === 'free' ? 'Free (with ads)' : 'Premium (pass or subscription)',
          }))}
          errors={fieldErrors.accessTier}
        />
        <TextField
          label="Country"
          name="country"
          value={country}
          onChange={(e) => setCountry(e.target.value)}
          hint="Two letters, e.g. UG"
          maxLength={2}
          errors={fieldErrors.country}
        />
        <SelectField
          label="Original language"
          name="originalLanguage"
          value={originalLanguage}
          onChange={(e) => setOriginalLanguage(e.target.value)}
          options={[{ value: '', label: 'Not set' }, ...languageOptions]}
          errors={fieldErrors.originalLanguage}
        />
      </div>
      <TextArea
        label="Synopsis"
        name="synopsis"
        rows={5}
        value={synopsis}
        onChange={(e) => setSynopsis(e.target.value)}
        errors={fieldErrors.synopsis}
        maxLength={5000}
      />
      <CheckboxGroup
        legend="Audio languages"
        options={languageOptions}
        selected={audioLanguages}
        onChange={setAudioLanguages}
        errors={fieldErrors.audioLanguages}
      />
      <CheckboxGroup
        legend="Subtitle languages"
        options={languageOptions}
        selected={subtitleLanguages}
        onChange={setSubtitleLanguages}
        errors={fieldErrors.subtitleLanguages}
      />
      <CheckboxGroup
        legend="Genres"
        options={genres.map((g) => ({ value: g.id, label: g.name }))}
        selected={genreIds}
        onChange={setGenreIds}
        errors={fieldErrors.genreIds}
      />
      {title ? (
        <CheckboxGroup
          legend="Categories (home page rows)"
          options={categories.map((c) => ({ value: c.id, label: c.name }))}
          selected={categoryIds}
          onChange={setCategoryIds}
          hint="Joining a row adds the title at its end; reorder rows under Categories."
        />
      ) : null}
      <TextField
        label="Tags"
        name="tags"
        value={tags}
        onChange={(e) => setTags(e.target.value)}
        hint="Separated by commas"
        errors={fieldErrors.tags}
      />
      <label className="inline-flex min-h-11 items-center gap-2">
        <input
          type="checkbox"
          className="size-4 accent-gold"
          checked={featured}
          onChange={(e) => setFeatured(e.target.checked)}
        />
        Featured on the home page
      </label>
      <CreditsEditor credits={credits} onChange={setCredits} errors={fieldErrors.credits} />
      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton saving={saving}>{title ? 'Save changes' : 'Create title'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

/** Cast and crew in billing order: find people by name, set their role and character. */
function CreditsEditor({
  credits,
  onChange,
  errors,
}: {
  credits: CreditRow[];
  onChange: (next: CreditRow[]) => void;
  errors?: string[];
}) {
  const [query, setQuery] = useState('');
  const [role, setRole] = useState<CreditRole>('actor');
  const [results, setResults] = useState<StaffPerson[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  async function search() {
    setSearching(true);
    setSearchError(null);
    try {
      const q = new URLSearchParams({ limit: '10' });
      if (query.trim()) q.set('q', query.trim());
      setResults((await api<Page<StaffPerson>>(`/v1/admin/people?${q.toString()}`)).items);
    } catch (error) {
      setSearchError(messageOf(error));
    } finally {
      setSearching(false);
    }
  }

  const update = (index: number, change: Partial<CreditRow>) =>
    onChange(credits.map((c, i) => (i === index ? { ...c, ...change } : c)));
  const move = (index: number, by: number) => {
    const next = [...credits];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };

  return (
    <fieldset className="rounded-lg border border-line p-3 sm:p-4">
      <legend className="px-1 text-sm font-semibold">Cast and crew</legend>
      {credits.length === 0 ? <p className="text-sm text-muted">No credits yet.</p> : null}
      <ol className="grid gap-2">
        {credits.map((credit, index) => (
          <li
            key={`${credit.personId}/${credit.role}/${index}`}
            className="grid gap-2 rounded-md bg-surface-raised p-2 sm:grid-cols-[1fr_9rem_1fr_auto] sm:items-center"
          >
            <span className="font-semibold">{credit.personName}</span>
            <select
              aria-label={`Role of ${credit.personName}`}
              className="min-h-11 rounded-md border border-line bg-ink px-2"
              value={credit.role}
              onChange={(e) => update(index, { role: e.target.value as CreditRole })}
            >
              {CREDIT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {capitalise(r)}
                </option>
              ))}
            </select>
            <input
              aria-label={`Character played by ${credit.personName}`}
              placeholder="Character (actors)"
              className="min-h-11 rounded-md border border-line bg-ink px-3"
              value={credit.character}
              onChange={(e) => update(index, { character: e.target.value })}
            />
            <span className="flex gap-1">
              <button
                type="button"
                className={smallButtonClass}
                disabled={index === 0}
                onClick={() => move(index, -1)}
                aria-label={`Move ${credit.personName} up`}
              >
                ↑
              </button>
              <button
                type="button"
                className={smallButtonClass}
                disabled={index === credits.length - 1}
                onClick={() => move(index, 1)}
                aria-label={`Move ${credit.personName} down`}
              >
                ↓
              </button>
              <button
                type="button"
                className={smallButtonClass}
                onClick={() => onChange(credits.filter((_, i) => i !== index))}
                aria-label={`Remove ${credit.personName} as ${credit.role}`}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      <FieldError errors={errors} />
      <div className="mt-3 grid gap-2 sm:grid-cols-[1fr_9rem_auto] sm:items-end">
        <TextField
          label="Find a person"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
        />
        <SelectField
          label="As"
          value={role}
          onChange={(e) => setRole(e.target.value as CreditRole)}
          options={CREDIT_ROLES.map((r) => ({ value: r, label: capitalise(r) }))}
        />
        <button type="button" className={secondaryButtonClass} onClick={() => void search()} disabled={searching}>
          {searching ? 'Searching…' : 'Find'}
        </button>
      </div>
      {searchError ? (
        <p role="alert" className="mt-2 text-sm text-down">
          {searchError}
        </p>
      ) : null}
      {results ? (
        <ul className="mt-2 grid gap-1" aria-label="People found">
          {results.length === 0 ? (
            <li className="text-sm text-muted">Nobody by that name. Add them under People.</li>
          ) : null}
          {results.map((person) => {
            const already = credits.some((c) => c.personId === person.id && c.role === role);
            return (
              <li key={person.id} className="flex items-center justify-between gap-2 text-sm">
                <span>{person.name}</span>
                <button
                  type="button"
                  className={smallButtonClass}
                  disabled={already}
                  onClick={() =>
                    onChange([...credits, { personId: person.id, personName: person.name, role, character: '' }])
                  }
                >
                  {already ? `Already ${role}` : `Add as ${role}`}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}
