/** Types for scripts/app-css.mjs (loaded by next.config.ts and scripts/app-css.test.ts). */
export const APP_CSS_FILES: { shell: string; page: string };
export const SHELL_SOURCES: string[];
/** The top-level rules and statements of a minified stylesheet, in order. */
export function topLevelRules(css: string): string[];
/** The whole stylesheet and the frame's one → the <head> part and the page part. */
export function splitAppCss(full: string, shell: string): { shell: string; page: string };
/** Compiles app/globals.css into the two parts; resolves to their lengths in bytes. */
export function buildAppCss(): Promise<{ shell: number; page: number }>;
/** Development: recompiles when a source changes. */
export function watchAppCss(): void;
