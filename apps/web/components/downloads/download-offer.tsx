import type { MyBilling } from '@/components/billing/types';
import type { Dictionary } from '@/lib/i18n/en';
import { pick } from '@/lib/i18n/server';
import { serverApiIfSignedIn } from '@/lib/api/server';
import { getMe } from '@/lib/session';
import { DownloadButton } from './download-button';

/**
 * The title page's download offer: the button when the viewer's plan includes downloads (the
 * API's entitlement says so), else a short way to the plans. Needs a chosen profile to download.
 */
export async function DownloadOffer({
  t,
  titleId,
  episodeId,
  profileId,
}: {
  t: Dictionary;
  titleId: string;
  episodeId: string | null;
  profileId: string | null;
}) {
  // Signed out (the page already asked, cached per render): no plan to ask the API about.
  const billing = (await getMe()) ? await serverApiIfSignedIn<MyBilling>('/api/v1/billing/me').catch(() => null) : null;
  if (billing?.entitlement.downloads && profileId) {
    return (
      <DownloadButton
        t={pick(t, [
          'downloadButton',
          'downloadDownloading',
          'downloadProgress',
          'downloadDone',
          'downloadSeeAll',
          'downloadFailed',
          'downloadUnsupported',
          'downloadCancel',
          'errorGeneric',
        ])}
        titleId={titleId}
        episodeId={episodeId}
      />
    );
  }
  if (billing?.entitlement.downloads) return null;
  return (
    <p className="mt-3 text-sm" data-testid="download-upsell">
      <a href="/plans" className="text-gold underline underline-offset-4">
        {t.downloadUpsell}
      </a>
    </p>
  );
}
