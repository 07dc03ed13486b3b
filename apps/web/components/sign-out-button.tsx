'use client';
import { useState } from 'react';
import { api, selectProfile } from '@/lib/api/browser';

export function SignOutButton({ label, className }: { label: string; className?: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      className={className}
      onClick={() => {
        setBusy(true);
        void api('/v1/auth/logout', { method: 'POST', body: {} })
          .catch(() => undefined)
          .finally(() => {
            selectProfile(null);
            navigator.serviceWorker?.controller?.postMessage('clear-pages');
            window.location.assign('/');
          });
      }}
    >
      {label}
    </button>
  );
}
