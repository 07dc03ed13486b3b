/**
 * Where server rendering finds the app's stylesheet (the text of .generated/app.css): a reader put
 * on globalThis by instrumentation.ts when the server starts. A global, because the component that
 * inlines it (components/app-styles.tsx) is a client component: importing the file there would put
 * the stylesheet into the browser's JavaScript too.
 */
const READER = Symbol.for('kush.web.appCss');

type Holder = { [READER]?: () => string };

export function provideAppCss(read: () => string): void {
  (globalThis as Holder)[READER] = read;
}

/** The stylesheet's text; only on the server (the browser already has it in the page). */
export function appCss(): string {
  const read = (globalThis as Holder)[READER];
  if (!read) throw new Error('The app stylesheet was not loaded: instrumentation.ts did not run.');
  return read();
}
