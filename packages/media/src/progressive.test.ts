import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ladderFor } from './ladder';
import { probeMedia } from './probe';
import { AD_LADDER, progressiveFilePath, writeProgressiveFiles } from './progressive';
import { transcode } from './transcode';
import { makeVideo } from './test-support';

describe('ad renditions as progressive MP4', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('remuxes each small rung into one playable MP4 of the same length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kush-ad-'));
    dirs.push(dir);
    const source = await makeVideo(join(dir, 'ad.mp4'), { seconds: 6, size: '640x360' });
    const probe = await probeMedia(source);
    const out = join(dir, 'out');
    const manifest = await transcode({ input: source, outputDir: out, probe, ladder: ladderFor(probe, AD_LADDER) });
    expect(manifest.renditions.map((r) => r.label)).toEqual(['144p', '240p', '360p']);
    const files = await writeProgressiveFiles(out, manifest.renditions);
    expect(files).toEqual(manifest.renditions.map(progressiveFilePath));
    for (const file of files) {
      const mp4 = await probeMedia(join(out, file));
      expect(mp4.container).toBe('mp4');
      expect(Math.abs(mp4.durationSeconds - 6)).toBeLessThan(0.5);
      expect(mp4.audio).toBeDefined();
    }
  }, 120_000);
});
