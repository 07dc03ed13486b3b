/**
 * A/B of page variants under the web group's conditions, for deciding a first-paint change before
 * making it: `npx tsx bench/web/ab.ts [--runs=N] [--trace=N [--trace-dir=DIR]] [--save=DIR] [variant.html…]`.
 *
 * Starts the web group's platform (bench/web/platform.ts: the API with the bench catalog, the
 * production web app, the bare Next.js page), then
 *
 * - with `--save=DIR`, writes the home and title pages' HTML as served (`home.html`, `title.html`)
 *   into DIR, with the app's origin taken out of its URLs (each run has new ports), to copy and
 *   edit into variants;
 * - serves each variant file from a proxy that forwards every other path to the web app (same
 *   origin: the page's /_next scripts and /api pictures load as they would), compressed as Next.js
 *   compresses (gzip; brotli for a file named `*.br.html`), with no server time. A variant may hold
 *   `<!--ab-flush:MS-->` markers: the proxy sends the page in the pieces they make, flushing each
 *   and waiting MS milliseconds before the next, as a server streaming its render would; a marker
 *   that opens the file is server time (nothing, not even the headers, is sent before it);
 * - loads bare, then each variant, `--runs` rounds (default 24), each load measured by the web
 *   group's own loadPage (fresh context, 1.6 Mbps / 150 ms / 4× CPU), and prints per variant the
 *   median FCP (and when the document's last byte arrived, and FCP after it), the median of the
 *   per-round FCP ÷ bare ratios and the mean per-round difference with its 95% interval;
 * - with `--trace=N`, then loads each page N more times with a Chromium trace and prints the
 *   medians of what the main thread did before the first paint (bench/web/trace-summary.ts): the
 *   first contentful frame's style and layout, the font lookups, the parser chunks; with
 *   `--trace-dir=DIR` it also writes each trace there (`bare-1.json`, `home.html-1.json`…) for
 *   DevTools' Performance panel.
 *
 * Why paired rounds and so many: on a 2-core machine the same page's FCP moves ±40% between loads,
 * and two identical variants differ by ±50 ms in their means over 30 rounds; a change smaller than
 * that cannot be told from noise, here or in `npm run bench`. A diagnostic, not a benchmark: it is
 * not part of `npm run bench` and its output is not kept.
 */
import { createServer, request, type Server } from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants, createBrotliCompress, createGzip } from 'node:zlib';
import { launchBrowser } from '../../e2e/support/browser';
import { freePort } from '../../scripts/web';
import { onInterrupt, runInterruptCleanups } from '../lib/cleanup';
import { killAllServers } from '../lib/spawn-server';
import { median } from '../lib/table';
import { loadPage } from './page-load';
import { startWebPlatform } from './platform';
import { pairedSummary } from './report';
import {
  formatTraceMedians,
  summarizeTrace,
  TRACE_CATEGORIES,
  type TraceEvent,
  type TraceSummary,
} from './trace-summary';

export interface AbOptions {
  runs: number;
  /** Traced loads per page after the paired rounds (0: none). */
  traces: number;
  /** Where to also write each traced load's Chromium trace (`<page>-<round>.json`), to open in DevTools. */
  traceDir?: string;
  saveDir?: string;
  variants: string[];
}

export function parseAbArgs(argv: string[]): AbOptions {
  const options: AbOptions = { runs: 24, traces: 0, variants: [] };
  for (const arg of argv) {
    const [flag, value] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--runs') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 2) throw new Error(`--runs must be a whole number >= 2, got "${value}"`);
      options.runs = n;
    } else if (flag === '--trace') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--trace must be a whole number >= 1, got "${value}"`);
      options.traces = n;
    } else if (flag === '--trace-dir') {
      if (!value) throw new Error('--trace-dir needs a directory: --trace-dir=DIR');
      options.traceDir = value;
    } else if (flag === '--save') {
      if (!value) throw new Error('--save needs a directory: --save=DIR');
      options.saveDir = value;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg} (known: --runs=N, --trace=N, --trace-dir=DIR, --save=DIR)`);
    } else {
      options.variants.push(arg);
    }
  }
  if (!options.saveDir && options.variants.length === 0) {
    throw new Error('nothing to do: give variant HTML files, --save=DIR, or both');
  }
  if (options.traceDir && options.traces === 0)
    throw new Error('--trace-dir needs --trace=N: there is nothing to write');
  return options;
}

/**
 * A variant's pieces: the file split at each `<!--ab-flush:MS-->` marker. Each piece is sent and
 * flushed on its own, the next one MS milliseconds later, as a server that streams its render would
 * (the marker itself is dropped). A file without markers is one piece; a marker that opens the file
 * makes an empty first piece, which the server sends nothing for: time before the first byte.
 */
export function splitAtFlushMarkers(html: string): { text: string; delayMs: number }[] {
  const pieces: { text: string; delayMs: number }[] = [];
  let delayMs = 0;
  let rest = html;
  for (let m = /<!--ab-flush:(\d+)-->/.exec(rest); m; m = /<!--ab-flush:(\d+)-->/.exec(rest)) {
    pieces.push({ text: rest.slice(0, m.index), delayMs });
    delayMs = Number(m[1]);
    rest = rest.slice(m.index + m[0].length);
  }
  pieces.push({ text: rest, delayMs });
  return pieces;
}

/** Serves `/ab/<n>` from the n-th file (read once), everything else from `target`. */
export async function startVariantServer(files: string[], target: URL): Promise<{ server: Server; urls: string[] }> {
  const bodies = await Promise.all(files.map(async (file) => splitAtFlushMarkers(await fs.readFile(file, 'utf8'))));
  // `*.br.html`: brotli (quality 5, as a server compressing per response would), otherwise gzip.
  const brotli = files.map((file) => file.endsWith('.br.html'));
  const server = createServer((req, res) => {
    const index = Number(/^\/ab\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    const pieces = bodies[index];
    if (pieces) {
      const br = brotli[index]!;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-encoding': br ? 'br' : 'gzip',
        'cache-control': 'no-store',
      });
      const encoder = br ? createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } }) : createGzip();
      encoder.pipe(res);
      void (async () => {
        for (const piece of pieces) {
          if (piece.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, piece.delayMs));
          if (res.destroyed) break; // the browser went away (a load that timed out): nothing to finish
          // An empty piece sends nothing: a marker first in the file is server time before the first byte.
          if (piece.text === '') continue;
          encoder.write(piece.text);
          await new Promise<void>((resolve) =>
            encoder.flush(br ? zlibConstants.BROTLI_OPERATION_FLUSH : zlibConstants.Z_SYNC_FLUSH, () => resolve()),
          );
        }
        encoder.end();
      })();
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, urls: files.map((_, i) => `http://127.0.0.1:${port}/ab/${i}`) };
}

async function main(): Promise<void> {
  const options = parseAbArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[ab] ${line}\n`);
  const platform = await startWebPlatform(log);
  let server: Server | undefined;
  const browser = await launchBrowser();
  const forgetBrowser = onInterrupt(() => browser.close());
  try {
    const app = new URL(platform.pages.find((p) => p.name === 'home')!.url);
    if (options.saveDir) {
      await fs.mkdir(options.saveDir, { recursive: true });
      for (const page of platform.pages.filter((p) => p.name !== 'bare')) {
        // Root-relative, so the file still works against the next run's app (a new port each run).
        const html = (await (await fetch(page.url)).text()).replaceAll(app.origin, '');
        await fs.writeFile(path.join(options.saveDir, `${page.name}.html`), html);
        log(`saved ${page.url} as ${path.join(options.saveDir, `${page.name}.html`)}`);
      }
    }
    if (options.variants.length === 0) return;
    const started = await startVariantServer(options.variants, app);
    server = started.server;
    const bare = platform.pages.find((p) => p.name === 'bare')!.url;
    // Kept by position, not name: a variant file may be called anything, "bare" included.
    const pages = [
      {
        name: 'bare',
        url: bare,
        fcp: [] as number[],
        documentEnd: [] as number[],
        afterDocument: [] as number[],
        erroredLoads: 0,
        traced: [] as TraceSummary[],
      },
      ...options.variants.map((file, i) => ({
        name: file,
        url: started.urls[i]!,
        fcp: [] as number[],
        documentEnd: [] as number[],
        afterDocument: [] as number[],
        erroredLoads: 0,
        traced: [] as TraceSummary[],
      })),
    ];
    for (let round = 1; round <= options.runs; round++) {
      for (const page of pages) {
        const result = await loadPage(browser, page.url, { timeoutMs: 60_000 });
        if (result.status !== 200) throw new Error(`${page.name} answered ${result.status}`);
        page.fcp.push(result.fcpMs);
        page.documentEnd.push(result.documentEndMs);
        page.afterDocument.push(result.fcpMs - result.documentEndMs);
        // An edited page that fails to hydrate still paints (FCP comes first), but say so.
        if (result.pageErrors.length > 0) page.erroredLoads++;
      }
      log(
        `round ${round}/${options.runs}: ${pages.map((p) => `${path.basename(p.name)} ${p.fcp.at(-1)!.toFixed(0)}`).join(', ')}`,
      );
    }
    const [baseline, ...variants] = pages;
    console.log(
      `bare: median FCP ${median(baseline!.fcp).toFixed(0)} ms over ${options.runs} rounds, ` +
        `document's last byte at ${median(baseline!.documentEnd).toFixed(0)}, FCP ${median(baseline!.afterDocument).toFixed(0)} ms after it`,
    );
    for (const page of variants) {
      const s = pairedSummary(page.fcp, baseline!.fcp);
      console.log(
        `${page.name}: median FCP ${s.medianMs.toFixed(0)} ms (document at ${median(page.documentEnd).toFixed(0)}, FCP ${median(page.afterDocument).toFixed(0)} after it), per-round FCP ÷ bare median ${s.medianRatio.toFixed(2)}, ` +
          `minus bare ${s.meanDiffMs.toFixed(0)} ± ${s.ci95Ms.toFixed(0)} ms (mean, 95%)` +
          (page.erroredLoads > 0 ? `; uncaught errors in ${page.erroredLoads} of ${options.runs} loads` : ''),
      );
    }
    if (options.traces > 0) {
      for (let round = 1; round <= options.traces; round++) {
        for (const page of pages) {
          const { trace } = await loadPage(browser, page.url, { timeoutMs: 60_000, traceCategories: TRACE_CATEGORIES });
          if (options.traceDir) {
            await fs.mkdir(options.traceDir, { recursive: true });
            await fs.writeFile(path.join(options.traceDir, `${path.basename(page.name)}-${round}.json`), trace!);
          }
          page.traced.push(
            summarizeTrace((JSON.parse(trace!.toString()) as { traceEvents: TraceEvent[] }).traceEvents),
          );
        }
        log(`traced round ${round}/${options.traces}`);
      }
      console.log(`\ntraced loads (${options.traces} each, medians; tracing slows every load):`);
      for (const page of pages) console.log(`${page.name}: ${formatTraceMedians(page.traced)}`);
    }
  } finally {
    server?.close();
    forgetBrowser();
    await browser.close().catch(() => {});
    await platform.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Ctrl-C: stop the servers and browser this run started, as `npm run bench` does.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAllServers();
      void runInterruptCleanups().finally(() => process.exit(130));
    });
  }
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
