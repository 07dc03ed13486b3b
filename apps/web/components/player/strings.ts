import type { Dictionary } from '@/lib/i18n/en';

/**
 * The dictionary keys the player shows (lib/i18n): the watch page picks exactly these, so the
 * client gets the player's words in the viewer's language and nothing more.
 */
export const PLAYER_KEYS = [
  'playerLoading',
  'playerPlay',
  'playerPause',
  'playerBack',
  'playerBackTen',
  'playerForwardTen',
  'playerMute',
  'playerUnmute',
  'playerVolume',
  'playerVolumeAt',
  'playerTimeOf',
  'playerSeek',
  'playerPositionOf',
  'playerHour',
  'playerHours',
  'playerMinute',
  'playerMinutes',
  'playerSecond',
  'playerSeconds',
  'playerSubtitlesOn',
  'playerSubtitlesOff',
  'playerSubtitlesNow',
  'playerSubtitlesNone',
  'playerSubtitleTrack',
  'playerSettings',
  'playerSettingsPanel',
  'playerFullscreen',
  'playerExitFullscreen',
  'playerResumedAt',
  'playerStartOver',
  'playerQuality',
  'playerQualityAuto',
  'playerQualityAutoNow',
  'playerQualityNow',
  'playerAboveDataSaver',
  'playerDataSaver',
  'playerDataSaverAuto',
  'playerDataSaverAutoHint',
  'playerDataSaverLow',
  'playerDataSaverLowHint',
  'playerDataSaverMedium',
  'playerDataSaverMediumHint',
  'playerDataSaverHigh',
  'playerDataSaverHighHint',
  'playerDataSaverNotSaved',
  'playerSubtitles',
  'playerSubtitlesOffOption',
  'nextEpisodeHeading',
  'nextEpisodeAnnounce',
  'nextEpisodeStartsIn',
  'nextEpisodePlayNow',
  'nextEpisodeCancel',
  'problemPremiumTitle',
  'problemPremiumBody',
  'problemPremiumSignedOut',
  'problemSignIn',
  'problemSignInTitle',
  'problemSignInBody',
  'problemRestrictedTitle',
  'problemRestrictedBody',
  'problemSwitchProfile',
  'problemNotFoundTitle',
  'problemNotFoundBody',
  'problemNotReadyTitle',
  'problemNotReadyBody',
  'problemStreamLimitTitle',
  'problemNetworkTitle',
  'problemStalled',
  'problemOffline',
  'problemUnreachable',
  'problemMediaTitle',
  'problemMediaBody',
  'problemBackToTitle',
  'seePlans',
  'retry',
  'errorGeneric',
] as const;

export type PlayerStrings = Pick<Dictionary, (typeof PLAYER_KEYS)[number]>;

/**
 * A template cut around one placeholder, so the value can be styled on its own:
 * around('Starts in {seconds} s', 'seconds') → ['Starts in ', ' s'].
 */
export function around(template: string, name: string): [before: string, after: string] {
  const marker = `{${name}}`;
  const at = template.indexOf(marker);
  return at === -1 ? [template, ''] : [template.slice(0, at), template.slice(at + marker.length)];
}
