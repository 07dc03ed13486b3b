/**
 * Why an upload was refused. The code is stable (stored on the video, used by the UI and by
 * metrics); the message is safe to show to staff: fixed text written by us, never tool output or
 * file content.
 */
export const REFUSAL_CODES = [
  'empty_file',
  'too_large',
  'not_media',
  'playlist',
  'image',
  'audio_only',
  'unsupported_container',
  'truncated',
  'corrupt',
  'too_long',
  'no_video_stream',
  'unsupported_video',
  'probe_timeout',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const REFUSAL_MESSAGES: Record<RefusalCode, string> = {
  empty_file: 'The file is empty (0 bytes). The upload may have failed; upload it again.',
  too_large: 'The file is larger than the upload size limit.',
  not_media: 'The file is not a video: it looks like text or a format we do not recognise.',
  playlist: 'The file is (or contains) a playlist or a list of other files, not a video. Upload the video file itself.',
  image: 'The file is a still image, not a video.',
  audio_only: 'The file has sound but no picture. Upload a video.',
  unsupported_container: 'This file format is not accepted. Upload MP4, MOV, MKV, WebM, AVI or MPEG-TS.',
  truncated:
    'The file is incomplete: it ends before the video does. The upload or export was probably cut off; upload the full file again.',
  corrupt: 'The file looks like a video but could not be read; it may be damaged. Try exporting it again.',
  too_long: 'The video is longer than the allowed maximum duration.',
  no_video_stream: 'The file contains no video or audio stream.',
  unsupported_video: 'The video stream uses a picture size or codec we cannot convert.',
  probe_timeout: 'The file took too long to inspect; it may be damaged. Try exporting it again.',
};

export class MediaRefusedError extends Error {
  override readonly name = 'MediaRefusedError';
  constructor(
    readonly code: RefusalCode,
    message: string = REFUSAL_MESSAGES[code],
  ) {
    super(message);
  }
}

export function isMediaRefusedError(err: unknown): err is MediaRefusedError {
  return err instanceof MediaRefusedError;
}
