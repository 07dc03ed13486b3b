import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AppCss, provideAppCss } from './app-css';

/** Written by scripts/app-css.mjs at the start of `next build` / `next dev`. */
const FILES = {
  shell: path.join(process.cwd(), '.generated/app-shell.css'),
  page: path.join(process.cwd(), '.generated/app-page.css'),
};

const read = (): AppCss => ({ shell: readFileSync(FILES.shell, 'utf8'), page: readFileSync(FILES.page, 'utf8') });

/**
 * Loads the stylesheet for server rendering: read once in production (a missing file stops the
 * server at start rather than serving unstyled pages), read on every page in development so a
 * recompiled stylesheet shows on the next reload.
 */
export function loadAppCss(): void {
  if (process.env.NODE_ENV === 'development') {
    provideAppCss(read);
    return;
  }
  let css: AppCss;
  try {
    css = read();
  } catch (error) {
    throw new Error(`${FILES.shell} or ${FILES.page} is missing: build the web app (next build) before starting it.`, {
      cause: error,
    });
  }
  provideAppCss(() => css);
}
