import type { Page } from 'playwright-core';

/** The console is checked at the smallest phone we design for and at a staff laptop. */
export const CONSOLE_SCREENS = { phone: { width: 360, height: 800 }, laptop: { width: 1440, height: 900 } } as const;
/** Transcoding runs for real (ffmpeg); this bounds a hung job, it is not a performance check. */
export const TRANSCODE_WAIT_MS = 240_000;

export type Json = Record<string, unknown>;

/** A request made by the page itself, through the web app's /api proxy and its cookies. */
export async function pageFetch(page: Page, path: string, init: { method?: string; body?: unknown } = {}) {
  return (await page.evaluate(
    async ({ path, method, body }) => {
      const res = await fetch(path, {
        method: method ?? 'GET',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    { path, method: init.method, body: init.body },
  )) as { status: number; body: Json };
}
