'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/api/browser';
import { secondaryButtonClass } from '../form-classes';
import { messageOf } from '../form';
import { EmptyState, KampalaTime, StatusBadge } from '../ui';
import type { AdCreative } from './types';

/** A campaign's creatives with activate / deactivate; a pending banner is one whose image never arrived. */
export function CreativeList({ campaignId, creatives }: { campaignId: string; creatives: AdCreative[] }) {
  if (creatives.length === 0) {
    return (
      <EmptyState>
        No creatives yet. Add a pre-roll or a banner below; the campaign serves nothing without one.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-line rounded-lg border border-line" aria-label="Creatives">
      {creatives.map((c) => (
        <CreativeRow key={c.id} campaignId={campaignId} creative={c} />
      ))}
    </ul>
  );
}

function CreativeRow({ campaignId, creative }: { campaignId: string; creative: AdCreative }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function setStatus(status: 'active' | 'paused') {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await api(`/v1/admin/ads/campaigns/${campaignId}/creatives/${creative.id}`, {
        method: 'PATCH',
        body: { status },
      });
      setMessage(status === 'active' ? `${creative.name} is active.` : `${creative.name} is paused.`);
      router.refresh();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  /** Only a creative that never served can go; the API checks that again. */
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api(`/v1/admin/ads/campaigns/${campaignId}/creatives/${creative.id}`, { method: 'DELETE' });
      router.refresh();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  const details =
    creative.kind === 'video'
      ? [
          'Video pre-roll',
          creative.durationSeconds ? `${creative.durationSeconds} s` : null,
          creative.skipAfterSeconds === null ? 'not skippable' : `skippable after ${creative.skipAfterSeconds} s`,
        ]
      : ['Banner', creative.bannerSize?.replace('x', '×') ?? null];
  return (
    <li
      className="grid grid-cols-1 gap-2 p-3 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center"
      data-creative-id={creative.id}
      data-creative-kind={creative.kind}
      data-creative-status={creative.status}
    >
      <div className="min-w-0">
        {creative.imageUrl && creative.bannerSize ? (
          <img
            src={creative.imageUrl}
            alt={`${creative.name} (banner preview)`}
            width={Number(creative.bannerSize.split('x')[0])}
            height={Number(creative.bannerSize.split('x')[1])}
            className="mb-2 h-auto max-w-full rounded border border-line"
            loading="lazy"
          />
        ) : null}
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-semibold">{creative.name}</span>
          <StatusBadge status={creative.status} />
        </p>
        <p className="text-xs text-muted">
          {details.filter(Boolean).join(' · ')} · added <KampalaTime iso={creative.createdAt} />
        </p>
        <p className="text-xs break-all text-muted">Opens {creative.clickUrl}</p>
        {creative.status === 'pending' ? (
          <p className="text-xs text-warn">
            The image was never accepted, so this banner cannot serve. Remove it and add the banner again.
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-1 gap-1 sm:justify-items-end">
        {creative.status === 'active' ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={busy}
            onClick={() => void setStatus('paused')}
            aria-label={`Deactivate ${creative.name}`}
          >
            Deactivate
          </button>
        ) : null}
        {creative.status === 'paused' ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={busy}
            onClick={() => void setStatus('active')}
            aria-label={`Activate ${creative.name}`}
          >
            Activate
          </button>
        ) : null}
        {creative.status === 'pending' ? (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={busy}
            onClick={() => void remove()}
            aria-label={`Remove ${creative.name}`}
          >
            Remove
          </button>
        ) : null}
        <div aria-live="polite" className="text-sm">
          {message ? <p className="text-ok">{message}</p> : null}
          {error ? (
            <p role="alert" className="text-down">
              {error}
            </p>
          ) : null}
        </div>
      </div>
    </li>
  );
}
