/** The CPU-time helper on tiny ffmpeg runs, and the ratio/target rules: behaviour only, no timing thresholds. */
import { mediaBinaries } from '@kush/media';
import { describe, expect, it } from 'vitest';
import { parseGnuTime, runTimed } from './cpu-time';
import { quietestRound, readTranscodeOptions } from './index';
import { ratioChecks, type StrategySummary } from './report';
import type { StrategyRun } from './strategies';

const encode = (seconds: number) => [
  ...['-hide_banner', '-nostdin', '-v', 'error'],
  ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${seconds}`],
  ...['-c:v', 'libx264', '-preset', 'veryfast', '-f', 'null', '-'],
];

describe('runTimed', () => {
  it("measures a child's CPU time, agreeing with this process's reaped-children time, and more work costs more", async () => {
    const { ffmpeg } = await mediaBinaries();
    const small = await runTimed(ffmpeg, encode(0.5));
    const large = await runTimed(ffmpeg, encode(8));
    for (const run of [small, large]) {
      expect(run.wallSeconds).toBeGreaterThan(0);
      expect(run.userSeconds).toBeGreaterThan(0);
      expect(run.systemSeconds).toBeGreaterThanOrEqual(0);
      expect(run.cpuSeconds).toBeCloseTo(run.userSeconds + run.systemSeconds, 3);
      expect(run.maxRssMB).toBeGreaterThan(1);
      // Two independent sources (GNU time's wait4 rusage, /proc/self/stat cutime+cstime): 10 ms ticks each.
      expect(Math.abs(run.reapedChildrenCpuSeconds! - run.cpuSeconds)).toBeLessThanOrEqual(
        0.05 + run.cpuSeconds * 0.05,
      );
    }
    // Sixteen times the frames: more CPU time, whatever the machine.
    expect(large.cpuSeconds).toBeGreaterThan(small.cpuSeconds);
  });

  it('rejects when the command fails, with its stderr', async () => {
    const { ffmpeg } = await mediaBinaries();
    await expect(runTimed(ffmpeg, ['-v', 'error', '-i', '/nonexistent/input.mp4', '-f', 'null', '-'])).rejects.toThrow(
      /exited with code 1: .*nonexistent/s,
    );
  });

  it("parses GNU time's output, including the line it adds for a failed command", () => {
    expect(parseGnuTime('1.50 0.25 2.00 51200\n')).toEqual({
      userSeconds: 1.5,
      systemSeconds: 0.25,
      elapsedSeconds: 2,
      maxRssKB: 51200,
    });
    expect(parseGnuTime('Command exited with non-zero status 1\n0.01 0.00 0.02 9000\n').userSeconds).toBe(0.01);
    expect(() => parseGnuTime('garbage')).toThrow(/unexpected GNU time output/);
  });
});

describe('transcode ratios and options', () => {
  const summary = (strategy: StrategySummary['strategy'], cpuSeconds: number, wallSeconds: number) =>
    ({ strategy, cpuSeconds, wallSeconds }) as StrategySummary;

  it('divides ours by each baseline and checks the targets on CPU and wall time separately', () => {
    const checks = ratioChecks([
      summary('single', 100, 60),
      summary('per-rendition', 150, 70),
      summary('hand-written', 98, 55),
    ]);
    expect(checks).toEqual([
      { name: 'ours / hand-written', cpu: 1.02, wall: 1.091, target: 1.05, cpuMet: true, wallMet: false },
      { name: 'ours / per-rendition', cpu: 0.667, wall: 0.857, target: 0.75, cpuMet: true, wallMet: false },
    ]);
  });

  it('reports the round during which other processes used the least CPU', () => {
    const round = (cpuSeconds: number, otherCpuSeconds: number) => ({ cpuSeconds, otherCpuSeconds }) as StrategyRun;
    expect(quietestRound([round(70, 16), round(72, 0.4), round(71, 30)])).toEqual(round(72, 0.4));
    expect(quietestRound([round(72, 0), round(70, 0)])).toEqual(round(70, 0));
  });

  it('reads the preset and rounds, refusing unknown presets', () => {
    expect(readTranscodeOptions({})).toEqual({ preset: 'veryfast', rounds: 1 });
    expect(readTranscodeOptions({ BENCH_TRANSCODE_PRESET: 'ultrafast', BENCH_TRANSCODE_ROUNDS: '3' })).toEqual({
      preset: 'ultrafast',
      rounds: 3,
    });
    expect(() => readTranscodeOptions({ BENCH_TRANSCODE_PRESET: 'warp' })).toThrow(/BENCH_TRANSCODE_PRESET/);
    expect(() => readTranscodeOptions({ BENCH_TRANSCODE_ROUNDS: '0' })).toThrow(/BENCH_TRANSCODE_ROUNDS/);
  });
});
