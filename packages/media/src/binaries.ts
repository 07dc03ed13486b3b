import { constants } from 'node:fs';
import { access, chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMediaProcess } from './run';

export type BinaryName = 'ffmpeg' | 'ffprobe';
export type BinarySource = 'env' | 'system' | 'npm';

export interface LocatedBinary {
  name: BinaryName;
  path: string;
  source: BinarySource;
}

export class MediaBinaryError extends Error {
  override readonly name = 'MediaBinaryError';
  constructor(
    readonly binary: BinaryName,
    /** Every place looked at, with why it was not used. */
    readonly tried: string[],
    message: string,
  ) {
    super(message);
  }
}

const ENV_VAR: Record<BinaryName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const INSTALLER: Record<BinaryName, string> = { ffmpeg: '@ffmpeg-installer', ffprobe: '@ffprobe-installer' };

export interface LocateOptions {
  /** Defaults to process.env; FFMPEG_PATH / FFPROBE_PATH and PATH are read from it. */
  env?: Record<string, string | undefined>;
  /** Look in the @ffmpeg-installer / @ffprobe-installer npm packages as a last resort (default true). */
  npm?: boolean;
  /** Use this path instead of resolving the npm package (tests). */
  npmBinary?: string;
}

async function isExecutableFile(path: string): Promise<'ok' | 'missing' | 'not_executable'> {
  try {
    if (!(await stat(path)).isFile()) return 'missing';
  } catch {
    return 'missing';
  }
  try {
    await access(path, constants.X_OK);
    return 'ok';
  } catch {
    return 'not_executable';
  }
}

/** Where the npm package would have put the binary for this platform, if the package is installed. */
function npmBinaryPath(name: BinaryName): string | undefined {
  const require = createRequire(import.meta.url);
  const platformPackage = `${INSTALLER[name]}/${process.platform}-${process.arch}`;
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  const searchFrom: string[] = [dirname(fileURLToPath(import.meta.url))];
  try {
    searchFrom.unshift(dirname(require.resolve(`${INSTALLER[name]}/${name}/package.json`)));
  } catch {
    // the wrapper package is absent; the platform package may still be hoisted
  }
  try {
    return join(dirname(require.resolve(`${platformPackage}/package.json`, { paths: searchFrom })), file);
  } catch {
    return undefined;
  }
}

/** The npm packages' postinstall normally sets the executable bit; npm here may not run it. */
const chmodAttempted = new Set<string>();

/**
 * Finds ffmpeg or ffprobe: FFMPEG_PATH / FFPROBE_PATH if set (and then nothing else: a wrong
 * explicit setting is an error, not something to paper over), else the first one on PATH, else the
 * binary shipped in the @ffmpeg-installer / @ffprobe-installer package (made executable once if
 * npm skipped its postinstall). The error lists everything tried.
 */
export async function locateBinary(name: BinaryName, options: LocateOptions = {}): Promise<LocatedBinary> {
  const env = options.env ?? process.env;
  const tried: string[] = [];

  const explicit = env[ENV_VAR[name]];
  if (explicit) {
    const state = await isExecutableFile(explicit);
    if (state === 'ok') return { name, path: explicit, source: 'env' };
    tried.push(`${ENV_VAR[name]}=${explicit} (${state === 'missing' ? 'no such file' : 'not executable'})`);
    throw new MediaBinaryError(name, tried, `${name} not usable: ${tried.join('; ')}`);
  }

  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'));
  for (const dir of dirs.length > 0 ? dirs : ['/usr/local/bin', '/usr/bin']) {
    const candidate = join(dir, name);
    const state = await isExecutableFile(candidate);
    if (state === 'ok') return { name, path: candidate, source: 'system' };
    if (state === 'not_executable') tried.push(`${candidate} (not executable)`);
  }
  tried.push(`PATH (${name} not found in ${dirs.join(delimiter) || 'an empty PATH'})`);

  if (options.npm !== false) {
    const candidate = options.npmBinary ?? npmBinaryPath(name);
    if (!candidate) {
      tried.push(`${INSTALLER[name]}/${process.platform}-${process.arch} (package not installed)`);
    } else {
      let state = await isExecutableFile(candidate);
      if (state === 'not_executable' && !chmodAttempted.has(candidate)) {
        chmodAttempted.add(candidate);
        try {
          await chmod(candidate, (await stat(candidate)).mode | 0o111);
          state = await isExecutableFile(candidate);
        } catch (err) {
          tried.push(`chmod +x ${candidate} failed: ${(err as Error).message}`);
        }
      }
      if (state === 'ok') return { name, path: candidate, source: 'npm' };
      tried.push(
        state === 'missing'
          ? `${candidate} (missing)`
          : `${candidate} (not executable: npm did not run the package's postinstall; run chmod +x on it)`,
      );
    }
  }
  throw new MediaBinaryError(
    name,
    tried,
    `${name} not found. Install it (apt-get install -y ffmpeg) or set ${ENV_VAR[name]}. Tried: ${tried.join('; ')}`,
  );
}

/** The version string ffmpeg/ffprobe print (e.g. "5.1.9-0+deb12u1"). */
export async function binaryVersion(path: string, timeoutMs = 10_000): Promise<string> {
  const { stdout } = await runMediaProcess(path, ['-hide_banner', '-version'], { timeoutMs, lowPriority: false });
  return /version\s+(\S+)/.exec(stdout)?.[1] ?? 'unknown';
}

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

let cached: Promise<MediaBinaries> | undefined;

/** Both binaries, located once per process (a failed lookup is retried on the next call). */
export function mediaBinaries(): Promise<MediaBinaries> {
  cached ??= Promise.all([locateBinary('ffmpeg'), locateBinary('ffprobe')]).then(
    ([ffmpeg, ffprobe]) => ({ ffmpeg: ffmpeg.path, ffprobe: ffprobe.path }),
    (err: unknown) => {
      cached = undefined;
      throw err;
    },
  );
  return cached;
}

const avifSupport = new Map<string, Promise<boolean>>();

/**
 * Whether this ffmpeg can write AVIF stills (the libaom-av1 encoder and the avif muxer: Debian's
 * 5.1 has both, older static builds neither). Asked once per binary.
 */
export function canEncodeAvif(ffmpeg: string): Promise<boolean> {
  let known = avifSupport.get(ffmpeg);
  if (!known) {
    const list = (what: string) =>
      runMediaProcess(ffmpeg, ['-hide_banner', `-${what}`], { timeoutMs: 10_000, lowPriority: false }).then(
        (r) => r.stdout,
      );
    known = Promise.all([list('encoders'), list('muxers')]).then(
      ([encoders, muxers]) => /\slibaom-av1\s/.test(encoders) && /\sE\s+avif\s/.test(muxers),
      () => false,
    );
    avifSupport.set(ffmpeg, known);
  }
  return known;
}
