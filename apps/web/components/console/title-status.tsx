'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api } from '@/lib/api/browser';
import { buttonClass, dangerButtonClass, secondaryButtonClass } from './form-classes';
import { FormStatus, TextField, useSave } from './form';
import { kampalaInputToUtc, utcToKampalaInput } from './kampala';
import type { StaffTitle, TitleStatus } from './types';

/** The API's transitions: draft → scheduled → published → archived, and back where allowed. */
const ACTIONS: Record<TitleStatus, { to: TitleStatus; label: string }[]> = {
  draft: [{ to: 'published', label: 'Publish now' }],
  scheduled: [
    { to: 'published', label: 'Publish now' },
    { to: 'draft', label: 'Unschedule (back to draft)' },
  ],
  published: [
    { to: 'draft', label: 'Unpublish (back to draft)' },
    { to: 'archived', label: 'Archive' },
  ],
  archived: [
    { to: 'published', label: 'Publish again' },
    { to: 'draft', label: 'Rework as draft' },
  ],
};

/** Publish, schedule (Kampala time in, UTC out), unpublish, archive, or delete a draft. */
export function TitleStatusActions({ title }: { title: StaffTitle }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [publishAt, setPublishAt] = useState(title.publishAt ? utcToKampalaInput(title.publishAt) : '');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const canSchedule = title.status === 'draft' || title.status === 'scheduled';

  async function setStatus(status: TitleStatus, when?: string) {
    const saved = await run(
      () =>
        api<StaffTitle>(`/v1/admin/titles/${title.id}/status`, {
          method: 'POST',
          body: when ? { status, publishAt: when } : { status },
        }),
      status === 'scheduled' ? 'Scheduled.' : `Now ${status}.`,
    );
    if (saved) router.refresh();
  }

  async function schedule(event: FormEvent) {
    event.preventDefault();
    const utc = kampalaInputToUtc(publishAt);
    if (!utc) {
      await run(() => Promise.reject(new Error('Enter the date and time the title goes live.')), '');
      return;
    }
    await setStatus('scheduled', utc);
  }

  async function remove() {
    const deleted = await run(async () => {
      await api(`/v1/admin/titles/${title.id}`, { method: 'DELETE' });
      return true;
    }, 'Deleted.');
    if (deleted) router.push('/console/titles');
  }

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap gap-2">
        {ACTIONS[title.status].map((a) => (
          <button
            key={a.to}
            type="button"
            disabled={saving}
            className={a.to === 'published' ? buttonClass : secondaryButtonClass}
            onClick={() => void setStatus(a.to)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {canSchedule ? (
        <form onSubmit={(e) => void schedule(e)} noValidate className="flex flex-wrap items-end gap-3">
          <TextField
            label="Go live at (Kampala time, EAT)"
            type="datetime-local"
            value={publishAt}
            onChange={(e) => setPublishAt(e.target.value)}
            errors={fieldErrors.publishAt}
            wrapperClassName="min-w-56"
          />
          <button type="submit" className={secondaryButtonClass} disabled={saving}>
            {title.status === 'scheduled' ? 'Reschedule' : 'Schedule'}
          </button>
        </form>
      ) : null}
      {title.status === 'draft' || title.status === 'archived' ? (
        confirmingDelete ? (
          <div role="group" aria-label="Confirm deletion" className="flex flex-wrap items-center gap-2 text-sm">
            <span>Delete “{title.name}” for good?</span>
            <button type="button" className={dangerButtonClass} disabled={saving} onClick={() => void remove()}>
              Yes, delete
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirmingDelete(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className={`${dangerButtonClass} w-fit`} onClick={() => setConfirmingDelete(true)}>
            Delete {title.status === 'draft' ? 'draft' : 'title'}
          </button>
        )
      ) : null}
      <FormStatus state={state} />
    </div>
  );
}
