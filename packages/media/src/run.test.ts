import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createProgressParser, MediaProcessError, type Progress, runMediaProcess } from './run';
import { testFfmpeg } from './test-support';

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MediaProcessError) return err;
    throw err;
  }
  throw new Error('expected the process to fail');
};

/** An input ffmpeg would take an hour to finish. */
const endless = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=3600', '-f', 'null', '-'];

describe('runMediaProcess', () => {
  it('kills a run that outlives its timeout', async () => {
    const err = await failureOf(runMediaProcess(await testFfmpeg(), endless, { timeoutMs: 300 }));
    expect(err.failure).toBe('timeout');
    expect(err.result?.signal).toBe('SIGKILL');
  });

  it('kills a run when its AbortSignal fires, and does not start one already aborted', async () => {
    const controller = new AbortController();
    const run = runMediaProcess(await testFfmpeg(), endless, { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const err = await failureOf(run);
    expect(err.failure).toBe('aborted');
    expect(err.result?.signal).toBe('SIGKILL');
    expect(
      (await failureOf(runMediaProcess(await testFfmpeg(), endless, { timeoutMs: 1000, signal: controller.signal })))
        .failure,
    ).toBe('aborted');
  });

  it('reports a non-zero exit with the tail of stderr', async () => {
    const err = await failureOf(
      runMediaProcess(await testFfmpeg(), ['-v', 'error', '-f', 'lavfi', '-i', 'nosuchfilter', '-f', 'null', '-'], {
        timeoutMs: 10_000,
        maxStderrBytes: 64,
      }),
    );
    expect(err.failure).toBe('exit');
    expect(err.result?.exitCode).not.toBe(0);
    expect(err.result?.stderr.length).toBeLessThanOrEqual(64);
    expect(err.message).not.toContain(err.result?.stderr ?? 'x');
  });

  it('kills a process that writes more stdout than allowed', async () => {
    const args = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=duration=60', '-f', 'rawvideo', 'pipe:1'];
    const err = await failureOf(runMediaProcess(await testFfmpeg(), args, { timeoutMs: 30_000, maxStdoutBytes: 1024 }));
    expect(err.failure).toBe('output_limit');
  });

  it.runIf(process.platform === 'linux')('runs every ffmpeg thread at the lowest priority', async () => {
    const controller = new AbortController();
    let niceness: number[] = [];
    const run = runMediaProcess(await testFfmpeg(), endless, {
      timeoutMs: 30_000,
      signal: controller.signal,
      onSpawn: (pid) => {
        setTimeout(() => {
          void (async () => {
            const tasks = await readdir(`/proc/${pid}/task`);
            // field 19 of /proc/<pid>/task/<tid>/stat is the nice value
            niceness = await Promise.all(
              tasks.map(async (tid) =>
                Number((await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8')).split(') ')[1]!.split(' ')[16]),
              ),
            );
            controller.abort();
          })();
        }, 300);
      },
    });
    expect((await failureOf(run)).failure).toBe('aborted');
    expect(niceness.length).toBeGreaterThan(0);
    expect(new Set(niceness)).toEqual(new Set([19]));
  });

  it('passes argv verbatim, never through a shell', async () => {
    const echoed = await runMediaProcess('/bin/echo', ['$(id) ; `id` | cat > /tmp/x'], { timeoutMs: 10_000 });
    expect(echoed.stdout).toBe('$(id) ; `id` | cat > /tmp/x\n');
  });

  it('rejects when the binary cannot be started', async () => {
    expect((await failureOf(runMediaProcess('/nonexistent/ffmpeg', [], { timeoutMs: 1000 }))).failure).toBe('spawn');
  });

  it('parses -progress output into percentages of the duration', async () => {
    const seen: Progress[] = [];
    const args = [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x90:duration=2',
      '-progress',
      'pipe:1',
      '-nostats',
      '-f',
      'null',
      '-',
    ];
    await runMediaProcess(await testFfmpeg(), args, {
      timeoutMs: 30_000,
      captureStdout: false,
      onStdoutLine: createProgressParser(2, (p) => seen.push(p)),
    });
    expect(seen.at(-1)).toEqual({ percent: 100, outTimeSeconds: 2 });
    expect(seen.map((p) => p.percent)).toEqual([...seen.map((p) => p.percent)].sort((a, b) => a - b));
  });
});

describe('createProgressParser', () => {
  it('ignores N/A and never goes backwards', () => {
    const seen: number[] = [];
    const parse = createProgressParser(10, (p) => seen.push(p.percent));
    for (const line of [
      'out_time_us=N/A',
      'out_time_us=2500000',
      'out_time_ms=2500000',
      'out_time_us=1000000',
      'progress=continue',
      'out_time_us=20000000',
      'progress=end',
    ]) {
      parse(line);
    }
    expect(seen).toEqual([25, 99.9, 100]);
  });
});
