import { open } from 'node:fs/promises';
import { type Container } from './containers';

/**
 * What the first bytes of a file say it is. We decide this ourselves, before any demuxer sees the
 * file, so that playlists and concat scripts are refused whatever their file name, and only the
 * containers on the allow-list are handed to ffprobe (with that container's demuxer forced).
 */
export type SniffResult =
  | { kind: 'container'; container: Container }
  | { kind: 'playlist' }
  | { kind: 'image' }
  | { kind: 'audio' }
  | { kind: 'text' }
  | { kind: 'other_container' }
  | { kind: 'unknown' };

/** How many leading bytes sniffHead needs. */
export const SNIFF_BYTES = 4096;

const ascii = (buf: Uint8Array, start: number, end: number) => Buffer.from(buf.subarray(start, end)).toString('latin1');

function startsWithBytes(buf: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

/** Playlists, concat scripts and manifests that make a demuxer open other files or URLs. */
const PLAYLIST_HEAD = [/^#EXTM3U/, /^#EXT-X-/, /^#EXTINF/, /^ffconcat version/i, /^<\?xml[\s\S]{0,512}<MPD/, /^<MPD/];

/**
 * Markers searched for anywhere in the file: a playlist carried inside a media file (an AVI GAB2
 * subtitle, an MKV attachment, an MP4 metadata box) is refused too. Each is long enough that
 * compressed video data contains it by chance with negligible probability.
 */
export const EMBEDDED_PLAYLIST_MARKERS = ['#EXTM3U', '#EXT-X-', 'ffconcat version', 'urn:mpeg:dash:schema'] as const;

const ISO_BMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
/** ISO-BMFF major brands that are still images (HEIF/AVIF), not movies. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

function looksLikeText(buf: Uint8Array): boolean {
  const sample = buf.subarray(0, 4096);
  if (sample.length === 0) return false;
  let printable = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte !== 127)) printable++;
  }
  return printable / sample.length > 0.95;
}

function isMpegTs(buf: Uint8Array, packetSize: number, offset: number): boolean {
  const packets = Math.min(5, Math.floor((buf.length - offset) / packetSize));
  if (packets < 2) return false;
  for (let i = 0; i < packets; i++) if (buf[offset + i * packetSize] !== 0x47) return false;
  return true;
}

/** Classifies a file by its leading bytes (pass at least the first SNIFF_BYTES, or the whole file). */
export function sniffHead(buf: Uint8Array): SniffResult {
  let text = ascii(buf, 0, Math.min(buf.length, 2048));
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3); // UTF-8 BOM
  const trimmed = text.trimStart();
  if (PLAYLIST_HEAD.some((re) => re.test(trimmed))) return { kind: 'playlist' };

  // ISO base media (MP4, MOV, 3GP, M4A, HEIF/AVIF)
  const box = ascii(buf, 4, 8);
  if (ISO_BMFF_BOXES.has(box)) {
    if (box === 'ftyp') {
      const brand = ascii(buf, 8, 12);
      if (IMAGE_BRANDS.has(brand)) return { kind: 'image' };
      return { kind: 'container', container: brand === 'qt  ' ? 'mov' : 'mp4' };
    }
    return { kind: 'container', container: 'mov' };
  }
  // EBML: Matroska or WebM, told apart by the DocType in the header
  if (startsWithBytes(buf, [0x1a, 0x45, 0xdf, 0xa3])) {
    const header = ascii(buf, 0, Math.min(buf.length, 128));
    return { kind: 'container', container: header.includes('webm') ? 'webm' : 'mkv' };
  }
  const riffType = ascii(buf, 8, 12);
  if (ascii(buf, 0, 4) === 'RIFF') {
    if (riffType === 'AVI ' || riffType === 'AVIX') return { kind: 'container', container: 'avi' };
    if (riffType === 'WEBP') return { kind: 'image' };
    if (riffType === 'WAVE') return { kind: 'audio' };
    return { kind: 'other_container' };
  }
  if (isMpegTs(buf, 188, 0) || isMpegTs(buf, 192, 4)) return { kind: 'container', container: 'mpegts' };

  // Still images
  if (startsWithBytes(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image' };
  if (startsWithBytes(buf, [0xff, 0xd8, 0xff])) return { kind: 'image' };
  if (/^GIF8[79]a/.test(ascii(buf, 0, 6))) return { kind: 'image' };
  if (startsWithBytes(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWithBytes(buf, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'image' };
  }
  if (
    ascii(buf, 0, 2) === 'BM' &&
    buf.length > 26 &&
    buf[14] !== undefined &&
    [12, 40, 52, 56, 108, 124].includes(buf[14])
  ) {
    return { kind: 'image' };
  }

  // Audio-only formats
  const head4 = ascii(buf, 0, 4);
  if (ascii(buf, 0, 3) === 'ID3' || head4 === 'fLaC' || (head4 === 'FORM' && /^AIF[FC]$/.test(ascii(buf, 8, 12)))) {
    return { kind: 'audio' };
  }
  if (buf.length >= 2 && buf[0] === 0xff && ((buf[1] ?? 0) & 0xe0) === 0xe0) return { kind: 'audio' }; // MPEG audio / ADTS sync

  // Recognised containers that are not on the allow-list
  if (
    head4 === 'OggS' ||
    ascii(buf, 0, 3) === 'FLV' ||
    head4 === '.RMF' ||
    startsWithBytes(buf, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]) || // ASF / WMV
    startsWithBytes(buf, [0x00, 0x00, 0x01, 0xba]) || // MPEG program stream
    startsWithBytes(buf, [0x06, 0x0e, 0x2b, 0x34]) // MXF
  ) {
    return { kind: 'other_container' };
  }

  if (looksLikeText(buf)) return { kind: 'text' };
  return { kind: 'unknown' };
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export async function readBytes(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Streams the whole file looking for playlist markers. I/O-bound (about the cost of copying the
 * file once), and the transcode reads the whole file anyway.
 */
export async function containsEmbeddedPlaylist(path: string, signal?: AbortSignal): Promise<boolean> {
  const markers = EMBEDDED_PLAYLIST_MARKERS.map((m) => Buffer.from(m, 'latin1'));
  const overlap = Math.max(...markers.map((m) => m.length)) - 1;
  const chunkSize = 1024 * 1024;
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(chunkSize + overlap);
    let carried = 0;
    let position = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buf, carried, chunkSize, position);
      if (bytesRead === 0) return false;
      position += bytesRead;
      const window = buf.subarray(0, carried + bytesRead);
      if (markers.some((m) => window.includes(m))) return true;
      carried = Math.min(overlap, window.length);
      window.copyWithin(0, window.length - carried);
    }
  } finally {
    await handle.close();
  }
}
