import { readFileSync } from 'node:fs';
import path from 'node:path';
import { provideAppCss } from './app-css';

/** .generated/app.css, written by scripts/app-css.mjs at the start of `next build` / `next dev`. */
const FILE = path.join(process.cwd(), '.generated/app.css');

/**
 * Loads the stylesheet for server rendering: read once in production (a missing file stops the
 * server at start rather than serving unstyled pages), read on every page in development so a
 * recompiled stylesheet shows on the next reload.
 */
export function loadAppCss(): void {
  if (process.env.NODE_ENV === 'development') {
    provideAppCss(() => readFileSync(FILE, 'utf8'));
    return;
  }
  let css: string;
  try {
    css = readFileSync(FILE, 'utf8');
  } catch (error) {
    throw new Error(`${FILE} is missing: build the web app (next build) before starting it.`, { cause: error });
  }
  provideAppCss(() => css);
}
