/**
 * The container allow-list and the input hardening every ffmpeg/ffprobe invocation shares.
 *
 * Only these containers reach a demuxer. Each maps to exactly one libavformat demuxer, which we
 * force with `-f` (so content sniffing can never pick the HLS, concat, DASH or image2 demuxers) and
 * also pass as `-format_whitelist` (which libavformat copies into nested demuxers, e.g. a subtitle
 * stream embedded in an AVI, so they cannot open a playlist either).
 */
export const CONTAINERS = ['mp4', 'mov', 'mkv', 'webm', 'avi', 'mpegts'] as const;
export type Container = (typeof CONTAINERS)[number];

/** libavformat demuxer short name for each allowed container. */
export const DEMUXER: Record<Container, string> = {
  mp4: 'mov',
  mov: 'mov',
  mkv: 'matroska',
  webm: 'matroska',
  avi: 'avi',
  mpegts: 'mpegts',
};

/** The `format_name` ffprobe reports for each demuxer (a demuxer can answer to several names). */
export const DEMUXER_FORMAT_NAME: Record<string, string> = {
  mov: 'mov,mp4,m4a,3gp,3g2,mj2',
  matroska: 'matroska,webm',
  avi: 'avi',
  mpegts: 'mpegts',
};

/** Protocols the media tools may use: local files and pipes, never the network. */
export const PROTOCOL_WHITELIST = 'file,pipe';

/** Caps on how much ffprobe/ffmpeg read before deciding what the streams are. */
export const PROBE_SIZE_BYTES = 32 * 1024 * 1024;
export const ANALYZE_DURATION_US = 20 * 1_000_000;

export function isContainer(value: string): value is Container {
  return (CONTAINERS as readonly string[]).includes(value);
}

/**
 * Input options that go before `-i`, followed by `-i file:<path>`. The `file:` prefix means a path
 * can never be read as another protocol (`concat:`, `subfile,`, `http:`…), whatever its name.
 */
export function hardenedInputArgs(container: Container, inputPath: string): string[] {
  if (!inputPath.startsWith('/')) throw new Error('media input paths must be absolute');
  const demuxer = DEMUXER[container];
  return [
    '-protocol_whitelist',
    PROTOCOL_WHITELIST,
    '-format_whitelist',
    demuxer,
    '-probesize',
    String(PROBE_SIZE_BYTES),
    '-analyzeduration',
    String(ANALYZE_DURATION_US),
    '-f',
    demuxer,
    '-i',
    `file:${inputPath}`,
  ];
}

/** ffprobe takes the input as a bare argument instead of `-i`. */
export function hardenedProbeInputArgs(container: Container, inputPath: string): string[] {
  const args = hardenedInputArgs(container, inputPath);
  args.splice(args.indexOf('-i'), 1);
  return args;
}
