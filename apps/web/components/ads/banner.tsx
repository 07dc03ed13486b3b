'use client';
import { useEffect, useRef } from 'react';
import type { BannerAd } from '@/lib/types';
import { adDeviceId, firePixel } from './tracking';

/** Half the banner on screen counts as seen (the IAB display viewability share). */
const VISIBLE_SHARE = 0.5;

/**
 * One banner: its box is reserved at the creative's size (scaled down on narrow screens, same
 * shape), so nothing moves when the picture arrives; the picture loads lazily; the impression
 * pixel fires once, when the banner is actually on screen; a tap goes through the ad server's
 * signed click redirect, which counts it.
 */
export function Banner({ banner, label }: { banner: BannerAd; label: string }) {
  const box = useRef<HTMLAnchorElement>(null);

  // Keeps this browser's ad id in its cookie, so the next server-rendered slots cap by it.
  useEffect(() => void adDeviceId(), []);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let seen = false;
    const observer = new IntersectionObserver(
      (entries) => {
        if (seen || !entries.some((e) => e.isIntersecting && e.intersectionRatio >= VISIBLE_SHARE)) return;
        seen = true;
        firePixel(banner.impressionUrl);
        observer.disconnect();
      },
      { threshold: VISIBLE_SHARE },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [banner.impressionUrl]);

  return (
    <figure data-banner={banner.size} className="mx-auto flex w-fit max-w-full flex-col items-center gap-1">
      <a
        ref={box}
        href={banner.clickUrl}
        target="_blank"
        rel="noopener sponsored"
        className="block max-w-full overflow-hidden rounded-sm bg-surface"
        style={{ width: banner.width, aspectRatio: `${banner.width} / ${banner.height}` }}
      >
        <img
          src={banner.imageUrl}
          alt={banner.alt}
          width={banner.width}
          height={banner.height}
          loading="lazy"
          decoding="async"
          className="block h-full w-full"
        />
      </a>
      <figcaption className="text-xs text-muted">{label}</figcaption>
    </figure>
  );
}
