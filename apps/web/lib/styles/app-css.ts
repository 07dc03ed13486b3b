/**
 * Where server rendering finds the app's stylesheet (the parts scripts/app-css.mjs writes into
 * .generated/): a reader put on globalThis by instrumentation.ts when the server starts. A global,
 * because the components that inline it (components/app-styles.tsx) are client components:
 * importing the files there would put the stylesheet into the browser's JavaScript too.
 */
const READER = Symbol.for('kush.web.appCss');

export interface AppCss {
  /** For the <head>: everything but the utilities, plus the page frame's utilities. */
  shell: string;
  /** Every utility: the cached stylesheet at `fullHref`. */
  page: string;
  /** Right after the site header: the utilities of the route that renders this path. */
  pageFor(pathname: string): string;
  /** Where the browser fetches every utility once hydrated (/styles/app-<hash>.css). */
  fullHref: string;
}

type Holder = { [READER]?: () => AppCss };

export function provideAppCss(read: () => AppCss): void {
  (globalThis as Holder)[READER] = read;
}

/** The stylesheet's text; only on the server (the browser already has it in the page). */
export function appCss(): AppCss {
  const read = (globalThis as Holder)[READER];
  if (!read) throw new Error('The app stylesheet was not loaded: instrumentation.ts did not run.');
  return read();
}
