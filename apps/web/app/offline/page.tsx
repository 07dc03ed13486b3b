import type { Metadata } from 'next';
import { getDictionary } from '@/lib/i18n/server';

export const metadata: Metadata = { title: 'Offline' };

/** Cached by the service worker at install and shown when a page cannot be fetched. */
export default async function OfflinePage() {
  const { t } = await getDictionary();
  return (
    <div className="mx-auto max-w-md py-10 text-center">
      <h1 className="text-3xl font-black tracking-tight">{t.offlineHeading}</h1>
      <p className="mt-3 text-muted">{t.offlineBody}</p>
      <a
        href="/"
        className="mt-6 inline-flex min-h-11 items-center rounded-md bg-gold px-5 font-semibold text-ink hover:bg-gold/90"
      >
        {t.retry}
      </a>
    </div>
  );
}
