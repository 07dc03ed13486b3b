'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/api/browser';
import { buttonClass, dangerButtonClass, secondaryButtonClass } from '../form-classes';
import { FormStatus, useSave } from '../form';
import type { AdCampaign, CampaignStatus } from './types';

const ACTIONS: Record<CampaignStatus, { to: CampaignStatus; label: string }[]> = {
  active: [{ to: 'paused', label: 'Pause campaign' }],
  paused: [{ to: 'active', label: 'Resume campaign' }],
  archived: [{ to: 'paused', label: 'Restore (paused)' }],
};

const DONE: Record<CampaignStatus, string> = {
  active: 'Resumed: the campaign serves again within its dates.',
  paused: 'Paused: no more ads from this campaign until it is resumed.',
  archived: 'Archived.',
};

/** Pause, resume or archive: serving follows within seconds on every API instance. */
export function CampaignStatusActions({ campaign }: { campaign: AdCampaign }) {
  const router = useRouter();
  const { state, run, saving } = useSave();
  const [confirmArchive, setConfirmArchive] = useState(false);

  async function setStatus(status: CampaignStatus) {
    const saved = await run(
      () => api<AdCampaign>(`/v1/admin/ads/campaigns/${campaign.id}`, { method: 'PATCH', body: { status } }),
      DONE[status],
    );
    setConfirmArchive(false);
    if (saved) router.refresh();
  }

  return (
    <div className="grid grid-cols-1 gap-3">
      <div className="flex flex-wrap gap-2">
        {ACTIONS[campaign.status].map((a) => (
          <button
            key={a.to}
            type="button"
            disabled={saving}
            className={a.to === 'active' ? buttonClass : secondaryButtonClass}
            onClick={() => void setStatus(a.to)}
          >
            {a.label}
          </button>
        ))}
        {campaign.status !== 'archived' && !confirmArchive ? (
          <button type="button" disabled={saving} className={dangerButtonClass} onClick={() => setConfirmArchive(true)}>
            Archive…
          </button>
        ) : null}
      </div>
      {confirmArchive ? (
        <div role="group" aria-label="Confirm archive" className="flex flex-wrap items-center gap-2 text-sm">
          <span>Archiving stops the campaign; its creatives and reports stay.</span>
          <button
            type="button"
            disabled={saving}
            className={dangerButtonClass}
            onClick={() => void setStatus('archived')}
          >
            Archive campaign
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirmArchive(false)}>
            Keep it
          </button>
        </div>
      ) : null}
      <FormStatus state={state} />
    </div>
  );
}
