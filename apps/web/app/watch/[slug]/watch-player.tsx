'use client';
import dynamic from 'next/dynamic';
import type { ReactNode } from 'react';
import type { PreRollStrings } from '@/components/ads/pre-roll';
import { Player, type PlayerProps } from '@/components/player/player';

// Fetched only when a viewer's playback answer says they get ads: subscribers never download it.
const PreRoll = dynamic(() => import('@/components/ads/pre-roll'), { ssr: false });

interface WatchPlayerProps extends Omit<PlayerProps, 'renderPreRoll' | 'renderBanner'> {
  preRollStrings: PreRollStrings;
  /** The banner under the player (rendered on the server); shown only to viewers who get ads. */
  banner: ReactNode;
}

/** The player with the ad slots filled: a VAST pre-roll before the title, a banner below it. */
export function WatchPlayer({ preRollStrings, banner, ...props }: WatchPlayerProps) {
  const saveData = props.profile?.dataSaver === 'low' || props.profile?.dataSaver === 'medium';
  return (
    <Player
      {...props}
      renderPreRoll={(onDone) => (
        <PreRoll titleId={props.titleId} saveData={saveData} strings={preRollStrings} onDone={onDone} />
      )}
      renderBanner={banner ? () => banner : undefined}
    />
  );
}
