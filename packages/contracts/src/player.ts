/**
 * hls.js settings for slow, expensive mobile links. The web player and the start-up benchmark
 * use these same values, so what is measured is what viewers get.
 */
export const HLS_PLAYER_CONFIG = {
  /**
   * Until the first segment has measured the link, assume a slow one (250 kbps): playback starts
   * on the lowest rung, whose first segment arrives fastest, and climbs as soon as bandwidth allows.
   */
  abrEwmaDefaultEstimate: 250_000,
  /** Never fetch a rung sharper than the player can show. */
  capLevelToPlayerSize: true,
  /** Buffer 30 s ahead at most: bytes fetched but never watched are money lost on a bundle. */
  maxBufferLength: 30,
  maxMaxBufferLength: 60,
  backBufferLength: 30,
} as const;
