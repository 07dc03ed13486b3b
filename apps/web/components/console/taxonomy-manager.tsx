'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import { ConfirmDelete, FormActions, nameAndSlug, NameSlugFields, TextField, useNameSlug, useSave } from './form';
import type { Genre, Language } from './types';

/** One-line forms: the button and its outcome stacked at the end of the row. */
const STACKED_ACTIONS = 'flex flex-col gap-1 sm:pt-6';

/** Adds or renames a genre. */
export function GenreForm({ genre }: { genre?: Genre }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const nameSlug = useNameSlug(genre);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = nameAndSlug(nameSlug.name, nameSlug.slug);
    const saved = await run(
      () =>
        genre
          ? api(`/v1/admin/genres/${genre.id}`, { method: 'PATCH', body })
          : api('/v1/admin/genres', { method: 'POST', body }),
      genre ? 'Saved.' : 'Genre added.',
    );
    if (saved) {
      if (!genre) nameSlug.clear();
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
      <NameSlugFields {...nameSlug} fieldErrors={fieldErrors} />
      <FormActions saving={saving} state={state} className={STACKED_ACTIONS}>
        {genre ? 'Save' : 'Add genre'}
      </FormActions>
    </form>
  );
}

export function DeleteGenre({ genre }: { genre: Genre }) {
  return (
    <ConfirmDelete
      path={`/v1/admin/genres/${genre.id}`}
      label={`Delete ${genre.name}`}
      question={`Delete “${genre.name}”? Titles lose this genre.`}
      variant="small"
    />
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
      <FormActions saving={saving} state={state} className={STACKED_ACTIONS}>
        {language ? 'Save' : 'Add language'}
      </FormActions>
    </form>
  );
}
