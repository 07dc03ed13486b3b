import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

/** Why a media process did not complete successfully. */
export type ProcessFailure = 'spawn' | 'exit' | 'timeout' | 'aborted' | 'output_limit';

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last `maxStderrBytes` of stderr (errors are at the end). */
  stderr: string;
  stderrTruncated: boolean;
}

export class MediaProcessError extends Error {
  override readonly name = 'MediaProcessError';
  constructor(
    readonly failure: ProcessFailure,
    readonly binary: string,
    message: string,
    readonly result?: RunResult,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** Wall-clock limit; the process is killed with SIGKILL when it is reached. Required on purpose. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Run at the lowest CPU priority (nice 19) so transcodes never starve the API or the database. */
  lowPriority?: boolean;
  /** Collect stdout into the result (ffprobe JSON). Exceeding maxStdoutBytes kills the process. */
  captureStdout?: boolean;
  maxStdoutBytes?: number;
  maxStderrBytes?: number;
  /** Called for each stdout line (ffmpeg `-progress pipe:1` output). */
  onStdoutLine?: (line: string) => void;
  cwd?: string;
  /** Called with the child's pid once it is running (for logs, and for tests to inspect it). */
  onSpawn?: (pid: number) => void;
}

const MAX_LINE_BYTES = 64 * 1024;

/** The child gets a minimal environment: nothing of ours (secrets, proxies) leaks into it. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    AV_LOG_FORCE_NOCOLOR: '1',
  };
  for (const key of ['LD_LIBRARY_PATH', 'TMPDIR', 'LANG'] as const) if (process.env[key]) env[key] = process.env[key];
  return env;
}

/**
 * Runs ffmpeg or ffprobe with an argv array (never a shell), a wall-clock timeout, low priority,
 * bounded output capture and AbortSignal support. Resolves only when the process exits with 0;
 * every other outcome rejects with a MediaProcessError saying which.
 */
export function runMediaProcess(binary: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { timeoutMs, signal, lowPriority = true, captureStdout = true } = options;
  const maxStdout = options.maxStdoutBytes ?? 8 * 1024 * 1024;
  const maxStderr = options.maxStderrBytes ?? 64 * 1024;
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    return Promise.reject(new TypeError('media process arguments must be an array of strings'));
  }
  if (signal?.aborted) {
    return Promise.reject(new MediaProcessError('aborted', binary, `${binary} was not started: aborted`));
  }

  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
      cwd: options.cwd,
      windowsHide: true,
    });
    if (lowPriority && child.pid !== undefined) {
      try {
        // Threads ffmpeg creates later inherit this niceness.
        setPriority(child.pid, 19);
      } catch {
        // Not permitted on this platform: run at normal priority rather than fail.
      }
    }
    if (child.pid !== undefined) options.onSpawn?.(child.pid);

    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = Buffer.alloc(0);
    let stderrTruncated = false;
    let pendingLine = '';
    let failure: ProcessFailure | undefined;
    let settled = false;

    const kill = (why: ProcessFailure) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    const onAbort = () => kill('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (captureStdout) {
        stdoutBytes += chunk.length;
        if (stdoutBytes > maxStdout) kill('output_limit');
        else stdoutChunks.push(chunk);
      }
      if (options.onStdoutLine) {
        pendingLine += chunk.toString('utf8');
        const lines = pendingLine.split('\n');
        pendingLine = lines.pop() ?? '';
        if (pendingLine.length > MAX_LINE_BYTES) pendingLine = '';
        for (const line of lines) options.onStdoutLine(line.trimEnd());
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > maxStderr) {
        stderr = stderr.subarray(stderr.length - maxStderr);
        stderrTruncated = true;
      }
    });

    const finish = (error: MediaProcessError | undefined, result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result);
    };

    child.on('error', (err) => {
      const result: RunResult = { exitCode: null, signal: null, stdout: '', stderr: '', stderrTruncated: false };
      finish(new MediaProcessError('spawn', binary, `could not start ${binary}: ${err.message}`), result);
    });
    child.on('close', (exitCode, exitSignal) => {
      const result: RunResult = {
        exitCode,
        signal: exitSignal,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stderr: stderr.toString('utf8'),
        stderrTruncated,
      };
      if (failure === 'timeout') {
        finish(new MediaProcessError('timeout', binary, `${binary} killed after ${timeoutMs} ms`, result), result);
      } else if (failure === 'aborted') {
        finish(new MediaProcessError('aborted', binary, `${binary} aborted`, result), result);
      } else if (failure === 'output_limit') {
        finish(
          new MediaProcessError('output_limit', binary, `${binary} wrote more than ${maxStdout} bytes`, result),
          result,
        );
      } else if (exitCode !== 0) {
        const how = exitSignal ? `signal ${exitSignal}` : `code ${exitCode}`;
        finish(new MediaProcessError('exit', binary, `${binary} exited with ${how}`, result), result);
      } else {
        finish(undefined, result);
      }
    });
  });
}

export interface Progress {
  /** 0–100 */
  percent: number;
  outTimeSeconds: number;
}

/**
 * Turns ffmpeg `-progress pipe:1` lines into percentages of `durationSeconds`. Percent never goes
 * backwards and reaches 100 only on `progress=end`.
 */
export function createProgressParser(durationSeconds: number, onProgress: (progress: Progress) => void) {
  let last = -1;
  return (line: string) => {
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    let outTimeSeconds: number | undefined;
    let percent: number | undefined;
    if (key === 'out_time_us' || key === 'out_time_ms') {
      // ffmpeg reports microseconds under both names (out_time_ms is a historical misnomer).
      const us = Number(value);
      if (!Number.isFinite(us) || us < 0) return;
      outTimeSeconds = us / 1_000_000;
      percent = durationSeconds > 0 ? Math.min(99.9, (outTimeSeconds / durationSeconds) * 100) : 0;
    } else if (key === 'progress' && value === 'end') {
      outTimeSeconds = durationSeconds;
      percent = 100;
    }
    if (percent === undefined || outTimeSeconds === undefined || percent <= last) return;
    last = percent;
    onProgress({ percent, outTimeSeconds });
  };
}
