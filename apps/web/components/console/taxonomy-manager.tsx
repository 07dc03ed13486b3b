'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import { smallButtonClass } from './form-classes';
import { FormStatus, SubmitButton, TextField, useSave } from './form';
import type { Genre, Language } from './types';

/** Adds or renames a genre. */
export function GenreForm({ genre }: { genre?: Genre }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [name, setName] = useState(genre?.name ?? '');
  const [slug, setSlug] = useState(genre?.slug ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = { name, ...(slug.trim() ? { slug: slug.trim() } : {}) };
    const saved = await run(
      () =>
        genre
          ? api(`/v1/admin/genres/${genre.id}`, { method: 'PATCH', body })
          : api('/v1/admin/genres', { method: 'POST', body }),
      genre ? 'Saved.' : 'Genre added.',
    );
    if (saved) {
      if (!genre) {
        setName('');
        setSlug('');
      }
      router.refresh();
    }
  }

  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label={genre ? `Edit ${genre.name}` : 'New genre'}
      className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
    >
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={fieldErrors.name}
        required
      />
      <TextField label="Slug" value={slug} onChange={(e) => setSlug(e.target.value)} errors={fieldErrors.slug} />
      <div className="flex flex-col gap-1 sm:pt-6">
        <SubmitButton saving={saving}>{genre ? 'Save' : 'Add genre'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

export function DeleteGenre({ genre }: { genre: Genre }) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [confirming, setConfirming] = useState(false);
  async function remove() {
    const done = await run(async () => {
      await api(`/v1/admin/genres/${genre.id}`, { method: 'DELETE' });
      return true;
    }, 'Deleted.');
    if (done) router.refresh();
  }
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      {confirming ? (
        <>
          <span>Delete “{genre.name}”? Titles lose this genre.</span>
          <button type="button" className={smallButtonClass} disabled={saving} onClick={() => void remove()}>
            Yes, delete
          </button>
          <button type="button" className={smallButtonClass} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className={`${smallButtonClass} text-down`} onClick={() => setConfirming(true)}>
          Delete {genre.name}
        </button>
      )}
      <FormStatus state={state} />
    </div>
  );
}

/** Adds a language (ISO 639 code) or renames one; codes never change. */
export function LanguageForm({ language }: { language?: Language }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [code, setCode] = useState(language?.code ?? '');
  const [name, setName] = useState(language?.name ?? '');
  const [nativeName, setNativeName] = useState(language?.nativeName ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const saved = await run(
      () =>
        language
          ? api(`/v1/admin/languages/${language.code}`, { method: 'PATCH', body: { name, nativeName } })
          : api('/v1/admin/languages', { method: 'POST', body: { code, name, nativeName } }),
      language ? 'Saved.' : 'Language added.',
    );
    if (saved) {
      if (!language) {
        setCode('');
        setName('');
        setNativeName('');
      }
      router.refresh();
    }
  }

  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label={language ? `Edit ${language.name}` : 'New language'}
      className="grid gap-2 sm:grid-cols-[6rem_1fr_1fr_auto] sm:items-start"
    >
      {language ? (
        <p className="pt-1 font-mono text-sm sm:pt-8">{language.code}</p>
      ) : (
        <TextField
          label="Code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          errors={fieldErrors.code}
          hint="e.g. lg"
        />
      )}
      <TextField
        label="Name (English)"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={fieldErrors.name}
      />
      <TextField
        label="Native name"
        value={nativeName}
        onChange={(e) => setNativeName(e.target.value)}
        errors={fieldErrors.nativeName}
      />
      <div className="flex flex-col gap-1 sm:pt-6">
        <SubmitButton saving={saving}>{language ? 'Save' : 'Add language'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
