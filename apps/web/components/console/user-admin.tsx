'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ROLES, type Role } from '@kush/contracts';
import { api } from '@/lib/api/browser';
import { buttonClass, dangerButtonClass } from './form-classes';
import { CheckboxGroup, FormStatus, SubmitButton, TextField, useSave } from './form';
import type { Account } from './types';

const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  content_manager: 'Content manager',
  ad_manager: 'Ad manager',
  finance: 'Finance',
  admin: 'Admin',
};

/** Replaces an account's roles. */
export function RolesForm({ account }: { account: Account }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [roles, setRoles] = useState<string[]>(account.roles);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const saved = await run(
      () => api<Account>(`/v1/admin/users/${account.id}/roles`, { method: 'PUT', body: { roles } }),
      'Roles saved.',
    );
    if (saved) router.refresh();
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid gap-3">
      <CheckboxGroup
        legend="Roles"
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        selected={roles}
        onChange={setRoles}
        errors={fieldErrors.roles ?? fieldErrors._}
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton saving={saving}>Save roles</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}

/** Suspends (ending every session) or reinstates an account. */
export function SuspensionForm({ account }: { account: Account }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [reason, setReason] = useState('');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const suspended = account.status === 'suspended';
    const saved = await run(
      () =>
        suspended
          ? api<Account>(`/v1/admin/users/${account.id}/reinstate`, { method: 'POST' })
          : api<Account>(`/v1/admin/users/${account.id}/suspend`, {
              method: 'POST',
              body: reason.trim() ? { reason: reason.trim() } : {},
            }),
      suspended ? 'Reinstated.' : 'Suspended; their sessions have ended.',
    );
    if (saved) router.refresh();
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid gap-3">
      {account.status === 'active' ? (
        <TextField
          label="Reason (kept in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          errors={fieldErrors.reason}
        />
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={saving}
          className={account.status === 'active' ? dangerButtonClass : buttonClass}
        >
          {saving ? 'Saving…' : account.status === 'active' ? 'Suspend account' : 'Reinstate account'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
