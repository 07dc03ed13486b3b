import type { Video } from '@kush/contracts';
import type { TranscodeManifest } from '@kush/media';
import type { SubtitleRow, VideoRow } from './videos.repository';

export function renditionsOf(manifest: TranscodeManifest | null) {
  return (manifest?.renditions ?? []).map((r) => ({
    label: r.label,
    width: r.width,
    height: r.height,
    bandwidth: r.bandwidth,
    averageBandwidth: r.averageBandwidth,
    totalBytes: r.totalBytes,
  }));
}

export function toVideo(row: VideoRow, subtitles: SubtitleRow[] = []): Video {
  return {
    id: row.id,
    purpose: row.purpose,
    status: row.status,
    progress: row.progress,
    failure: row.failureCode ? { code: row.failureCode, message: row.failureMessage ?? '' } : null,
    originalFilename: row.originalFilename,
    sourceSize: row.sourceSize,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    revision: row.revision,
    renditions:
      row.status === 'ready' || row.outputPrefix ? renditionsOf(row.manifest as TranscodeManifest | null) : [],
    subtitles: subtitles.map((s) => ({ language: s.language, label: s.label })),
    createdAt: row.createdAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
  };
}
