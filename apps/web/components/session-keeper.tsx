'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { refreshSession } from '@/lib/api/browser';

const HINT = 'kf_signed_in';

/**
 * The access cookie expires with its token while the refresh cookie (path /api/v1/auth) is never
 * sent to pages, so a page rendered after expiry looks signed out. When the /api proxy's hint
 * cookie says a session exists, refresh it once and render again.
 */
export function SessionKeeper({ signedIn }: { signedIn: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (signedIn || !document.cookie.split('; ').includes(`${HINT}=1`)) return;
    let cancelled = false;
    void refreshSession().then((alive) => {
      if (cancelled) return;
      if (alive) router.refresh();
      else document.cookie = `${HINT}=; Path=/; Max-Age=0; SameSite=Lax`;
    });
    return () => {
      cancelled = true;
    };
  }, [signedIn, router]);
  return null;
}
