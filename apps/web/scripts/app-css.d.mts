/** Types for scripts/app-css.mjs (loaded by next.config.ts and scripts/app-css.test.ts). */
export const APP_CSS_FILES: { shell: string; page: string; routes: string };
export const SHELL_SOURCES: string[];
/** The top-level rules and statements of a minified stylesheet, in order. */
export function topLevelRules(css: string): string[];
/** The whole stylesheet and the frame's one → the <head> part and the page part. */
export function splitAppCss(full: string, shell: string): { shell: string; page: string };
/** Every module of the app reachable from the given files through their imports. */
export function importClosure(files: string[]): Promise<string[]>;
/** The App Router's pages: URL pattern and the files that draw it. */
export function appRoutes(): Promise<{ pattern: string; files: string[] }[]>;
/** Compiles app/globals.css into the head part, every utility, and each route's utilities. */
export function buildAppCss(): Promise<{ shell: number; page: number; routes: number; largestRoute: number }>;
/** Development: recompiles when a source changes. */
export function watchAppCss(): void;
