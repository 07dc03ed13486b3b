/** Types for scripts/app-css.mjs (loaded by next.config.ts). */
export const APP_CSS_FILE: string;
/** Compiles app/globals.css into .generated/app.css; resolves to its length in bytes. */
export function buildAppCss(): Promise<number>;
/** Development: recompiles when a source changes. */
export function watchAppCss(): void;
