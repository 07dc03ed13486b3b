'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/api/browser';
import { dangerButtonClass, inputClass, secondaryButtonClass } from './form-classes';
import { FormStatus, useSave } from './form';
import type { ModerationComment } from './types';

/** Hide (with a reason), restore, dismiss reports, or delete one comment. */
export function ModerationActions({ comment }: { comment: ModerationComment }) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [reason, setReason] = useState('');
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const base = `/v1/admin/comments/${comment.id}`;

  async function act(work: () => Promise<unknown>, message: string) {
    const done = await run(async () => {
      await work();
      return true;
    }, message);
    if (done) router.refresh();
  }

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-end gap-2">
        {comment.status === 'visible' ? (
          <>
            <div className="min-w-40 flex-1">
              <label htmlFor={`hide-reason-${comment.id}`} className="mb-1 block text-xs text-muted">
                Reason for hiding (optional)
              </label>
              <input
                id={`hide-reason-${comment.id}`}
                className={inputClass}
                value={reason}
                maxLength={200}
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
            <button
              type="button"
              className={dangerButtonClass}
              disabled={saving}
              onClick={() =>
                void act(
                  () => api(`${base}/hide`, { method: 'POST', body: reason.trim() ? { reason: reason.trim() } : {} }),
                  'Hidden.',
                )
              }
            >
              Hide
            </button>
          </>
        ) : (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={saving}
            onClick={() => void act(() => api(`${base}/restore`, { method: 'POST' }), 'Restored.')}
          >
            Restore
          </button>
        )}
        {comment.openReports > 0 ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={saving}
            onClick={() => void act(() => api(`${base}/dismiss-reports`, { method: 'POST' }), 'Reports dismissed.')}
          >
            Dismiss reports
          </button>
        ) : null}
        {confirmingDelete ? (
          <>
            <button
              type="button"
              className={dangerButtonClass}
              disabled={saving}
              onClick={() => void act(() => api(base, { method: 'DELETE' }), 'Deleted.')}
            >
              Yes, delete
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirmingDelete(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className={dangerButtonClass} onClick={() => setConfirmingDelete(true)}>
            Delete
          </button>
        )}
      </div>
      <FormStatus state={state} />
    </div>
  );
}
