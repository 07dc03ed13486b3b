import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OfflinePlayer } from '@/components/downloads/offline-player';
import { getDictionary, pick } from '@/lib/i18n/server';

export const metadata: Metadata = { title: 'Offline player' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Plays a download from the device; this page is cached with the download, so it opens offline. */
export default async function OfflinePlayRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const { t } = await getDictionary();
  return (
    <OfflinePlayer
      id={id}
      t={pick(t, ['downloadsNotOnDevice', 'downloadsExpired', 'downloadsBack', 'problemMediaBody'])}
    />
  );
}
