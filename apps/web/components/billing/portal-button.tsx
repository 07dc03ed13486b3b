'use client';
import { useState } from 'react';
import { errorMessage } from '@/components/auth-forms';
import { api } from '@/lib/api/browser';

/** Opens Stripe's Customer Portal (change the card, cancel); the link is made fresh on each tap. */
export function PortalButton({ label, errorText }: { label: string; errorText: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        className="inline-flex min-h-11 items-center rounded-md border border-line px-4 font-semibold hover:border-gold disabled:opacity-60"
        onClick={() => {
          setBusy(true);
          setError(null);
          api<{ url: string }>('/v1/billing/portal', { method: 'POST', body: {} })
            .then(({ url }) => window.location.assign(url))
            .catch((e: unknown) => {
              setError(errorMessage(e, errorText));
              setBusy(false);
            });
        }}
      >
        {label}
      </button>
      {error ? (
        <span role="alert" className="text-sm text-down">
          {error}
        </span>
      ) : null}
    </>
  );
}
