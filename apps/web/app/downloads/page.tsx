import type { Metadata } from 'next';
import { DownloadsList } from '@/components/downloads/downloads-list';
import { getDictionary, pick } from '@/lib/i18n/server';

export const metadata: Metadata = { title: 'Downloads' };

/**
 * The titles saved on this device for offline viewing. The list is drawn in the browser from the
 * device's own record, so the page holds nothing personal and the service worker may keep it for
 * opening offline.
 */
export default async function DownloadsRoute() {
  const { locale, t } = await getDictionary();
  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.downloadsHeading}</h1>
      <p className="mt-2 max-w-prose text-sm text-muted">{t.downloadsIntro}</p>
      <DownloadsList
        locale={locale}
        t={pick(t, [
          'downloadsEmpty',
          'downloadsExpires',
          'downloadsExpired',
          'downloadsPlay',
          'downloadsRemove',
          'downloadsQuality',
          'episodeShort',
          'errorGeneric',
        ])}
      />
    </div>
  );
}
