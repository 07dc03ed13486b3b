/**
 * What a title costs in mobile data at each quality, for viewers who pay per bundle.
 *
 * The public title response does not carry per-rendition sizes yet, so sizes are estimated from
 * the rendition ladder's target bitrates (video + audio, packages/media/src/ladder.ts LADDER)
 * times the runtime. Keep these rates in step with LADDER until the API returns real sizes.
 */
const LADDER_KBPS: readonly { label: string; kbps: number }[] = [
  { label: '144p', kbps: 110 + 48 },
  { label: '240p', kbps: 250 + 64 },
  { label: '360p', kbps: 500 + 96 },
  { label: '480p', kbps: 900 + 96 },
  { label: '720p', kbps: 2000 + 96 },
  { label: '1080p', kbps: 4000 + 96 },
];

export const DEFAULT_DATA_PRICE_UGX_PER_GB = 3000;

/** DATA_PRICE_UGX_PER_GB, read on the server per request (whole shillings per gigabyte). */
export function dataPriceUgxPerGb(): number {
  const raw = Number(process.env.DATA_PRICE_UGX_PER_GB);
  return Number.isFinite(raw) && raw > 0 ? Math.round(raw) : DEFAULT_DATA_PRICE_UGX_PER_GB;
}

export interface QualityDataUse {
  label: string;
  megabytes: number;
  costUgx: number;
}

/** Megabytes (10^6 bytes, as bundles are sold) and shillings per quality for `minutes` of video. */
export function dataUseFor(minutes: number, pricePerGb: number): QualityDataUse[] {
  return LADDER_KBPS.map(({ label, kbps }) => {
    const bytes = (kbps * 1000 * minutes * 60) / 8;
    return { label, megabytes: Math.round(bytes / 1e6), costUgx: Math.round((bytes / 1e9) * pricePerGb) };
  });
}
