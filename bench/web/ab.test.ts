/**
 * The A/B tool's variant server (a page sent in timed pieces, gzip or brotli) and a measured load
 * through it in the real Chromium: the document's first and last byte land in the load's result.
 * Behaviour only: the one time bound is the server's own wait, which can only make a load longer.
 */
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { get, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../e2e/support/browser';
import { startVariantServer } from './ab';
import { loadPage } from './page-load';

const HEAD = '<!DOCTYPE html><html lang="en"><head><title>Variant</title></head><body><h1>First part</h1>';
const REST = '<p>The rest, sent later.</p></body></html>';
const WAIT_MS = 400;

/**
 * The response's encoding, when its headers came (ms after the request), and its decoded text as it
 * grew, one entry per decoded chunk.
 */
async function fetchDecoded(url: string): Promise<{ encoding: string; headersMs: number; steps: string[] }> {
  const started = Date.now();
  const answer = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, { headers: { 'accept-encoding': 'gzip, br' } }, resolve).on('error', reject),
  );
  const headersMs = Date.now() - started;
  const encoding = String(answer.headers['content-encoding']);
  const decoder = encoding === 'br' ? createBrotliDecompress() : createGunzip();
  const steps: string[] = [];
  let text = '';
  decoder.on('data', (chunk: Buffer) => steps.push((text += chunk.toString('utf8'))));
  answer.pipe(decoder);
  await once(decoder, 'end');
  return { encoding, headersMs, steps };
}

describe('A/B variant server', () => {
  let dir: string;
  let server: Server;
  let urls: string[];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kush-ab-'));
    await fs.writeFile(path.join(dir, 'split.html'), `${HEAD}<!--ab-flush:${WAIT_MS}-->${REST}`);
    await fs.writeFile(path.join(dir, 'whole.br.html'), HEAD + REST);
    await fs.writeFile(path.join(dir, 'late.html'), `<!--ab-flush:${WAIT_MS}-->${HEAD}${REST}`);
    // Nothing listens on the target: only /ab/<n> is asked for here (a favicon request fails fast).
    ({ server, urls } = await startVariantServer(
      [path.join(dir, 'split.html'), path.join(dir, 'whole.br.html'), path.join(dir, 'late.html')],
      new URL('http://127.0.0.1:9'),
    ));
  });

  afterAll(async () => {
    server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sends a variant in the pieces its markers make, the first one decodable before the wait', async () => {
    const started = Date.now();
    const { encoding, steps } = await fetchDecoded(urls[0]!);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(encoding).toBe('gzip');
    expect(steps.at(-1)).toBe(HEAD + REST); // the marker itself is not sent
    expect(steps).toContain(HEAD); // the first piece arrived on its own, flushed
  });

  it('sends nothing, not even the headers, before a marker that opens the file (server time)', async () => {
    const { encoding, headersMs, steps } = await fetchDecoded(urls[2]!);
    expect(headersMs).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(encoding).toBe('gzip');
    expect(steps.at(-1)).toBe(HEAD + REST);
  });

  it('sends a *.br.html variant brotli-compressed', async () => {
    const { encoding, steps } = await fetchDecoded(urls[1]!);
    expect(encoding).toBe('br');
    expect(steps.at(-1)).toBe(HEAD + REST);
  });

  it("a measured load records the document's first and last byte, the wait between them", async () => {
    const browser = await launchBrowser();
    try {
      const result = await loadPage(browser, urls[0]!, { timeoutMs: 30_000 });
      expect(result.status).toBe(200);
      expect(result.pageErrors).toEqual([]);
      expect(result.documentStartMs).toBeGreaterThan(0);
      expect(result.documentEndMs - result.documentStartMs).toBeGreaterThanOrEqual(WAIT_MS - 5);
      expect(result.fcpMs).toBeGreaterThan(result.documentStartMs);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
