'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import { dangerButtonClass, secondaryButtonClass } from './form-classes';
import { FormStatus, SubmitButton, TextArea, TextField, useSave } from './form';
import type { StaffPerson } from './types';

/** Adds a person (then opens them, for the photo) or edits one. */
export function PersonForm({ person }: { person?: StaffPerson }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [name, setName] = useState(person?.name ?? '');
  const [slug, setSlug] = useState(person?.slug ?? '');
  const [bio, setBio] = useState(person?.bio ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = { name, ...(slug.trim() ? { slug: slug.trim() } : {}), bio: bio.trim() || null };
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
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={fieldErrors.name}
        required
      />
      <TextField
        label="Slug"
        value={slug}
        onChange={(e) => setSlug(e.target.value)}
        errors={fieldErrors.slug}
        hint={person ? undefined : 'Leave empty to make one from the name.'}
      />
      <TextArea
        label="Biography"
        wrapperClassName="sm:col-span-2"
        rows={4}
        value={bio}
        onChange={(e) => setBio(e.target.value)}
        errors={fieldErrors.bio}
      />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton saving={saving}>{person ? 'Save person' : 'Add person'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

export function DeletePerson({ person }: { person: StaffPerson }) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [confirming, setConfirming] = useState(false);
  async function remove() {
    const done = await run(async () => {
      await api(`/v1/admin/people/${person.id}`, { method: 'DELETE' });
      return true;
    }, 'Deleted.');
    if (done) router.push('/console/people');
  }
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      {confirming ? (
        <>
          <span>Delete {person.name} and all their credits?</span>
          <button type="button" className={dangerButtonClass} disabled={saving} onClick={() => void remove()}>
            Yes, delete
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className={dangerButtonClass} onClick={() => setConfirming(true)}>
          Delete person
        </button>
      )}
      <FormStatus state={state} />
    </div>
  );
}
