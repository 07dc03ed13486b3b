/**
 * Where an ad banner goes (a server component). The ad server decides per viewer: viewers whose
 * plan has no ads, and slots nothing is booked for, get nothing at all — no gap, no script.
 * Deciding here rather than in the browser means the banner arrives with the page at its final
 * size (no layout shift) and costs a slow phone no extra round trip.
 */
import type { BannerSlot } from '@kush/contracts';
import type { z } from 'zod';
import { cookies, headers } from 'next/headers';
import { Banner } from '@/components/ads/banner';
import { AD_DEVICE_ID, AD_DEVICE_KEY } from '@/components/ads/device-id';
import { serverApi } from '@/lib/api/server';
import { getDictionary } from '@/lib/i18n/server';
import type { BannerDecision } from '@/lib/types';

type SlotName = z.infer<typeof BannerSlot>;
export type AdSlotName = SlotName;

/** A page never waits long for a banner. */
const BANNER_TIMEOUT_MS = 1_500;

/** The ad server's device targeting, from the browser's user agent (the API sees only ours). */
function deviceOf(userAgent: string | null): 'mobile' | 'tablet' | 'desktop' {
  const ua = userAgent ?? '';
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}

export async function AdSlot({ name, titleId }: { name: AdSlotName; titleId?: string }) {
  const slot = name;
  const query = new URLSearchParams({ slots: slot, device: deviceOf((await headers()).get('user-agent')) });
  if (titleId) query.set('titleId', titleId);
  // A signed-out browser's own ad id (see device-id.ts): its frequency caps, not everyone's.
  const deviceId = (await cookies()).get(AD_DEVICE_KEY)?.value;
  if (deviceId && AD_DEVICE_ID.test(deviceId)) query.set('deviceId', deviceId);
  let decision: BannerDecision;
  try {
    decision = await serverApi<BannerDecision>(`/api/v1/ads/banners?${query.toString()}`, {
      signal: AbortSignal.timeout(BANNER_TIMEOUT_MS),
    });
  } catch {
    return null; // an ad is never worth a broken page
  }
  const banner = decision.slots[slot];
  if (!banner) return null;
  const { t } = await getDictionary();
  return (
    <aside aria-label={t.adLabel} data-ad-slot={slot} className="my-2">
      <Banner banner={banner} label={t.adLabel} />
    </aside>
  );
}
