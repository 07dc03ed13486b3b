import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { routeMatcher } from '../../scripts/route-match.mjs';
import { type AppCss, provideAppCss } from './app-css';

/** Written by scripts/app-css.mjs at the start of `next build` / `next dev`. */
const FILES = {
  shell: path.join(process.cwd(), '.generated/app-shell.css'),
  page: path.join(process.cwd(), '.generated/app-page.css'),
  routes: path.join(process.cwd(), '.generated/app-routes.json'),
};

interface RouteStyles {
  styles: string[];
  routes: Record<string, number>;
}

function read(): AppCss {
  const shell = readFileSync(FILES.shell, 'utf8');
  const page = readFileSync(FILES.page, 'utf8');
  const manifest = JSON.parse(readFileSync(FILES.routes, 'utf8')) as RouteStyles;
  const routeOf = routeMatcher(Object.keys(manifest.routes));
  const hash = createHash('sha256').update(page).digest('hex').slice(0, 16);
  return {
    shell,
    page,
    // A path no page answers renders the not-found page: every route's styles cover it, and all
    // utilities cover anything else.
    pageFor: (pathname) => {
      const route = routeOf(pathname);
      return route === null ? page : (manifest.styles[manifest.routes[route]!] ?? page);
    },
    fullHref: `/styles/app-${hash}.css`,
  };
}

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
    throw new Error(`The stylesheet in .generated/ is missing: build the web app (next build) before starting it.`, {
      cause: error,
    });
  }
  provideAppCss(() => css);
}
