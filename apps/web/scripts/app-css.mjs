/**
 * The app's stylesheet, compiled from app/globals.css by Tailwind (the classes it finds in the
 * sources) and minified, in two parts that the pages carry inline (components/app-styles.tsx), so
 * a first visit paints without a round trip for CSS:
 *
 * - .generated/app-shell.css, in the <head>: everything but the utility classes (preflight, the
 *   theme's variables, registered properties, keyframes) plus the utilities of the page frame
 *   (SHELL_SOURCES: the layout and the site header);
 * - .generated/app-page.css, right after the site header: every utility, in Tailwind's order.
 *
 * Why two: Chromium parses a large inline stylesheet, then yields to paint. With the whole
 * stylesheet in the <head> that first paint has nothing to show, and the next one waits for the
 * whole page to be styled and laid out (on a slow phone, most of the time to first paint). With
 * the split, the header is already parsed and styled when the big stylesheet is, so the first
 * paint shows it. The page part repeats the frame's few utilities, so every rule keeps its place
 * in the cascade (a later, complete utilities layer decides every conflict as one stylesheet would).
 *
 * next.config.ts runs this at the start of `next build` and `next dev` (which also recompiles on
 * source changes); `node scripts/app-css.mjs` runs it by hand.
 */
import { watch } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(webDir, 'app/globals.css');
export const APP_CSS_FILES = {
  shell: path.join(webDir, '.generated/app-shell.css'),
  page: path.join(webDir, '.generated/app-page.css'),
};

/** What every page draws above its own content: the root layout and the site header with its parts. */
export const SHELL_SOURCES = [
  'app/layout.tsx',
  'components/site-header.tsx',
  'components/search-box.tsx',
  'components/sign-out-button.tsx',
];

const UTILITIES = '@layer utilities{';

/**
 * The top-level rules and statements of a minified stylesheet, in order (braces inside strings,
 * comments and escapes do not count; a comment stays with the rule after it).
 */
export function topLevelRules(css) {
  const rules = [];
  let depth = 0;
  let start = 0;
  let quote = null;
  for (let i = 0; i < css.length; i++) {
    const ch = css[i];
    if (!quote && ch === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end === -1 ? css.length : end + 1;
    } else if (ch === '\\') {
      i++;
    } else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        rules.push(css.slice(start, i + 1).trim());
        start = i + 1;
      }
    } else if (ch === ';' && depth === 0) {
      rules.push(css.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = css.slice(start).trim();
  if (rest) rules.push(rest);
  return rules.filter(Boolean);
}

const utilitiesOf = (rules) => {
  const found = rules.filter((rule) => rule.startsWith(UTILITIES));
  return found.map((rule) => rule.slice(UTILITIES.length, -1)).join('');
};

/** Splits the whole stylesheet into the <head> part and the page part (see the top of this file). */
export function splitAppCss(full, shell) {
  const rules = topLevelRules(full);
  const others = rules.filter((rule) => !rule.startsWith(UTILITIES));
  const all = utilitiesOf(rules);
  if (!all) throw new Error('app.css: the compiled stylesheet has no utilities layer');
  return {
    shell: `${others.join('')}${UTILITIES}${utilitiesOf(topLevelRules(shell))}}`,
    page: `${UTILITIES}${all}}`,
  };
}

async function compile(css) {
  // Build-time tools: loaded only here, so `next start` in a production image never needs them.
  const [{ default: postcss }, { default: tailwind }] = await Promise.all([
    import('postcss'),
    import('@tailwindcss/postcss'),
  ]);
  const result = await postcss([tailwind({ base: webDir, optimize: { minify: true } })]).process(css, {
    from: source,
  });
  return result.css;
}

async function writeWhole(file, text) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Written whole, then renamed: a page rendered meanwhile reads the old file or the new one.
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, file);
}

export async function buildAppCss() {
  const globals = await fs.readFile(source, 'utf8');
  const importLine = "@import 'tailwindcss';";
  if (!globals.includes(importLine)) throw new Error(`app.css: ${source} no longer has ${importLine}`);
  // The frame's utilities: the same stylesheet, scanning only the frame's sources.
  const shellSources = SHELL_SOURCES.map((file) => `@source '../${file}';`).join('\n');
  const [full, shell] = await Promise.all([
    compile(globals),
    compile(globals.replace(importLine, `@import 'tailwindcss' source(none);\n${shellSources}`)),
  ]);
  const parts = splitAppCss(full, shell);
  // The page part first: a server reading between the two writes gets a complete page part.
  await writeWhole(APP_CSS_FILES.page, parts.page);
  await writeWhole(APP_CSS_FILES.shell, parts.shell);
  return { shell: parts.shell.length, page: parts.page.length };
}

/** Development: recompile when a source that may use a class changes. */
export function watchAppCss() {
  let timer;
  const rebuild = () => {
    clearTimeout(timer);
    timer = setTimeout(() => buildAppCss().catch((error) => console.error('app.css:', error)), 100);
  };
  for (const dir of ['app', 'components', 'lib']) {
    watch(path.join(webDir, dir), { recursive: true }, (_event, file) => {
      if (file && /\.(tsx?|css)$/.test(file)) rebuild();
    }).unref();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // No top-level await: next.config.ts loads this file through require().
  void buildAppCss().then((bytes) =>
    console.log(`.generated/app-shell.css: ${bytes.shell} bytes, .generated/app-page.css: ${bytes.page} bytes`),
  );
}
