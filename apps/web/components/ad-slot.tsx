/**
 * Where an ad banner goes (a server component). The ad server decides per viewer: viewers whose
 * plan has no ads, and slots nothing is booked for, get nothing at all — no gap, no script.
 * Deciding here rather than in the browser means the banner arrives with the page at its final
 * size (no layout shift) and costs a slow phone no extra round trip.
 */
import type { BannerSlot } from '@kush/contracts';
import type { z } from 'zod';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
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

/**
 * The ad server's banner for one slot of this request (null: none booked, none for this viewer, or
 * no answer in time). Cached per request, so a page can start asking before its own data arrives
 * (`preloadAdSlot`) and the slot, rendered after that data, takes the same answer.
 */
const bannerFor = cache(async (slot: SlotName, titleId: string | undefined) => {
  const query = new URLSearchParams({ slots: slot, device: deviceOf((await headers()).get('user-agent')) });
  if (titleId) query.set('titleId', titleId);
  // A signed-out browser's own ad id (see device-id.ts): its frequency caps, not everyone's.
  const deviceId = (await cookies()).get(AD_DEVICE_KEY)?.value;
  if (deviceId && AD_DEVICE_ID.test(deviceId)) query.set('deviceId', deviceId);
  try {
    const decision = await serverApi<BannerDecision>(`/api/v1/ads/banners?${query.toString()}`, {
      signal: AbortSignal.timeout(BANNER_TIMEOUT_MS),
    });
    return decision.slots[slot] ?? null;
  } catch {
    return null; // an ad is never worth a broken page
  }
});

/**
 * Asks the ad server for a slot's banner now, alongside the page's own API calls: an `AdSlot`
 * starts asking only when React reaches it, after the page's data, one more round trip in series.
 */
export function preloadAdSlot(name: AdSlotName, titleId?: string): void {
  void bannerFor(name, titleId);
}

export async function AdSlot({ name, titleId }: { name: AdSlotName; titleId?: string }) {
  const banner = await bannerFor(name, titleId);
  if (!banner) return null;
  const { t } = await getDictionary();
  return (
    <aside aria-label={t.adLabel} data-ad-slot={name} className="my-2">
      <Banner banner={banner} label={t.adLabel} />
    </aside>
  );
}
