'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/api/browser';

/**
 * One API call, then the server-rendered page is rendered again: removing from My List or
 * history, marking notifications read, signing out a device.
 */
export function ActionButton({
  path,
  method = 'POST',
  label,
  confirm,
  errorText,
  className = 'min-h-11 rounded-md border border-line px-3 text-sm font-semibold hover:border-gold disabled:opacity-60',
  after = 'refresh',
}: {
  path: string;
  method?: 'POST' | 'PUT' | 'DELETE';
  label: string;
  confirm?: string;
  errorText: string;
  className?: string;
  after?: 'refresh' | 'home';
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        className={className}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          setBusy(true);
          setFailed(false);
          api(path, { method, ...(method === 'POST' ? { body: {} } : {}) })
            .then(() => (after === 'home' ? window.location.assign('/') : router.refresh()))
            .catch(() => setFailed(true))
            .finally(() => setBusy(false));
        }}
      >
        {label}
      </button>
      {failed ? (
        <span role="alert" className="text-sm text-down">
          {errorText}
        </span>
      ) : null}
    </>
  );
}
