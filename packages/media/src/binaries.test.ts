import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryVersion, locateBinary, MediaBinaryError } from './binaries';
import { tempDir } from './test-support';

describe('locateBinary', () => {
  it('finds the system ffmpeg and ffprobe on PATH and reports their version', async () => {
    const ffmpeg = await locateBinary('ffmpeg', { env: { PATH: '/usr/local/bin:/usr/bin:/bin' } });
    expect(ffmpeg.source).toBe('system');
    expect(await binaryVersion(ffmpeg.path)).toMatch(/^\w/);
    expect((await locateBinary('ffprobe', { env: { PATH: '/usr/bin' } })).path).toBe('/usr/bin/ffprobe');
  });

  it('prefers FFMPEG_PATH, and a wrong FFMPEG_PATH is an error rather than a silent fallback', async () => {
    const dir = await tempDir();
    try {
      const fake = join(dir.path, 'ffmpeg');
      await writeFile(fake, '#!/bin/sh\necho "ffmpeg version 9.9-test"\n', { mode: 0o755 });
      expect(await locateBinary('ffmpeg', { env: { FFMPEG_PATH: fake, PATH: '/usr/bin' } })).toEqual({
        name: 'ffmpeg',
        path: fake,
        source: 'env',
      });
      expect(await binaryVersion(fake)).toBe('9.9-test');
      const err = await locateBinary('ffprobe', {
        env: { FFPROBE_PATH: join(dir.path, 'missing'), PATH: '/usr/bin' },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaBinaryError);
      expect((err as MediaBinaryError).message).toContain('FFPROBE_PATH=');
    } finally {
      await dir.cleanup();
    }
  });

  it('falls back to the npm package binary, making it executable once if npm skipped its postinstall', async () => {
    const dir = await tempDir();
    try {
      const shipped = join(dir.path, 'ffmpeg');
      await writeFile(shipped, '#!/bin/sh\necho "ffmpeg version 4.1-npm"\n', { mode: 0o644 });
      const found = await locateBinary('ffmpeg', { env: { PATH: dir.path + '/nowhere' }, npmBinary: shipped });
      expect(found).toEqual({ name: 'ffmpeg', path: shipped, source: 'npm' });
      expect((await stat(shipped)).mode & 0o111).not.toBe(0);
    } finally {
      await dir.cleanup();
    }
  });

  it('names everything it tried when nothing is usable', async () => {
    const err = (await locateBinary('ffprobe', {
      env: { PATH: '/nonexistent' },
      npmBinary: '/nonexistent/npm/ffprobe',
    }).catch((e: unknown) => e)) as MediaBinaryError;
    expect(err).toBeInstanceOf(MediaBinaryError);
    expect(err.tried.join('\n')).toContain('/nonexistent');
    expect(err.tried.join('\n')).toContain('/nonexistent/npm/ffprobe (missing)');
    expect(err.message).toMatch(/FFPROBE_PATH/);
  });

  it('locates the real npm-shipped ffmpeg when it is not on PATH', async () => {
    const found = await locateBinary('ffmpeg', { env: { PATH: '/nonexistent' } });
    expect(found.source).toBe('npm');
    expect(found.path).toMatch(/@ffmpeg-installer/);
  });
});
