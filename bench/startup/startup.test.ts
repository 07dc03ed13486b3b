/** Network conversion, summaries and option parsing of the start-up group (no browser, no timing). */
import { describe, expect, it } from 'vitest';
import { GROUPS, readGroups } from '../lib/groups';
import { NETWORK_PROFILES, toCdpConditions } from './network';
import { readStartupOptions } from './index';
import type { Attempt, AttemptResult } from './player';
import { summarize } from './report';

describe('network profiles', () => {
  it('turns kbps into bytes per second and uses the whole RTT as CDP latency (added once per request)', () => {
    expect(toCdpConditions({ downKbps: 700, rttMs: 300 })).toEqual({
      offline: false,
      latency: 300,
      downloadThroughput: 87_500,
      uploadThroughput: 87_500,
    });
    expect(toCdpConditions({ downKbps: 1600, rttMs: 150 }).downloadThroughput).toBe(200_000);
    expect(NETWORK_PROFILES.map((p) => p.name)).toEqual(['700kbps-300ms', '1.6Mbps-150ms']);
  });
});

describe('start-up summary', () => {
  const result = (firstFrameMs: number, bytes: number, height = 240): AttemptResult =>
    ({
      firstFrameMs,
      firstFrameFromClickMs: firstFrameMs + 400,
      playbackRequestMs: 400,
      bytesBeforeFirstFrame: bytes,
      startLevel: { index: 1, height, width: (height * 16) / 9, bitrate: 358_000 },
    }) as AttemptResult;
  const profile = NETWORK_PROFILES[0]!;

  it('reports median and max, the start renditions, and the target on each', () => {
    const attempts: Attempt[] = [
      { profile: profile.name, run: 1, result: result(1800, 150_000) },
      { profile: profile.name, run: 2, result: result(2600, 160_000, 144) },
      { profile: profile.name, run: 3, result: result(1900, 170_000) },
    ];
    const s = summarize(profile, attempts);
    expect(s.started).toBe(3);
    expect(s.firstFrameMs).toEqual({ median: 1900, max: 2600 });
    expect(s.bytesBeforeFirstFrame).toEqual({ median: 160_000, max: 170_000 });
    expect(s.startRenditions).toBe('240p (358 kbps) ×2, 144p (358 kbps) ×1');
    expect(s.target).toMatchObject({
      firstFrame: { medianMet: true, maxMet: false },
      bytesBefore: { medianMet: true, maxMet: true },
    });
  });

  it('counts attempts that never played, and never calls the target met without a measurement', () => {
    const s = summarize(profile, [{ profile: profile.name, run: 1, error: 'no frame within 60000 ms' }]);
    expect(s.started).toBe(0);
    expect(s.target?.firstFrame.medianMet).toBe(false);
    expect(s.target?.bytesBefore.medianMet).toBe(false);
  });
});

describe('options', () => {
  it('reads the groups from --only or BENCH_ONLY, all by default, in a fixed order', () => {
    expect(readGroups([], {})).toEqual([...GROUPS]);
    expect(readGroups([], { BENCH_ONLY: 'startup,transcode' })).toEqual(['transcode', 'startup']);
    expect(readGroups(['--only=http'], { BENCH_ONLY: 'startup' })).toEqual(['http']);
    expect(readGroups(['--only', 'transcode'], {})).toEqual(['transcode']);
    expect(() => readGroups([], { BENCH_ONLY: 'video' })).toThrow(/unknown group video/);
  });

  it('reads the start-up runs and timeout', () => {
    expect(readStartupOptions({})).toEqual({ runs: 3, timeoutMs: 60_000 });
    expect(readStartupOptions({ BENCH_STARTUP_RUNS: '5', BENCH_STARTUP_TIMEOUT: '30' })).toEqual({
      runs: 5,
      timeoutMs: 30_000,
    });
    expect(() => readStartupOptions({ BENCH_STARTUP_RUNS: 'x' })).toThrow(/BENCH_STARTUP_RUNS/);
  });
});
