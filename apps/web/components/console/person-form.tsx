'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import {
  ConfirmDelete,
  FormActions,
  nameAndSlug,
  NameSlugFields,
  SLUG_FROM_NAME_HINT,
  TextArea,
  useNameSlug,
  useSave,
} from './form';
import type { StaffPerson } from './types';

/** Adds a person (then opens them, for the photo) or edits one. */
export function PersonForm({ person }: { person?: StaffPerson }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const nameSlug = useNameSlug(person);
  const [bio, setBio] = useState(person?.bio ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = { ...nameAndSlug(nameSlug.name, nameSlug.slug), bio: bio.trim() || null };
    const saved = await run(
      () =>
        person
          ? api<StaffPerson>(`/v1/admin/people/${person.id}`, { method: 'PATCH', body })
          : api<StaffPerson>('/v1/admin/people', { method: 'POST', body }),
      person ? 'Saved.' : 'Added. Opening…',
    );
    if (!saved) return;
    if (person) router.refresh();
    else router.push(`/console/people/${saved.id}`);
  }

  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      className="grid gap-3 sm:grid-cols-2"
      aria-label={person ? 'Person details' : 'New person'}
    >
      <NameSlugFields {...nameSlug} fieldErrors={fieldErrors} slugHint={person ? undefined : SLUG_FROM_NAME_HINT} />
      <TextArea
        label="Biography"
        wrapperClassName="sm:col-span-2"
        rows={4}
        value={bio}
        onChange={(e) => setBio(e.target.value)}
        errors={fieldErrors.bio}
      />
      <FormActions saving={saving} state={state}>
        {person ? 'Save person' : 'Add person'}
      </FormActions>
    </form>
  );
}

export function DeletePerson({ person }: { person: StaffPerson }) {
  return (
    <ConfirmDelete
      path={`/v1/admin/people/${person.id}`}
      label="Delete person"
      question={`Delete ${person.name} and all their credits?`}
      redirectTo="/console/people"
    />
  );
}
