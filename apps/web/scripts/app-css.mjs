/**
 * The app's stylesheet, compiled from app/globals.css by Tailwind (the classes it finds in the
 * sources) and minified, in two parts that the pages carry inline (components/app-styles.tsx), so
 * a first visit paints without a round trip for CSS:
 *
 * - .generated/app-shell.css, in the <head>: everything but the utility classes (preflight, the
 *   theme's variables, registered properties, keyframes) plus the utilities of the page frame
 *   (SHELL_SOURCES: the layout and the site header);
 * - right after the site header, the page's utilities: those the route's own sources use (its
 *   page, the layouts above it and every module they import, from a Tailwind pass over just those
 *   files), in Tailwind's order. .generated/app-routes.json holds one per route;
 *   .generated/app-page.css holds every utility, which the browser fetches once hydrated (a cached
 *   file, /styles/app-<hash>.css) so that pages reached by client-side navigation are styled too.
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
  routes: path.join(webDir, '.generated/app-routes.json'),
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

/** Files of a route folder that render around or instead of its page. */
const ROUTE_FILES = ['layout.tsx', 'template.tsx', 'loading.tsx', 'error.tsx', 'not-found.tsx'];
const IMPORT =
  /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const EXTENSIONS = ['', '.tsx', '.ts', '.mjs', '.js', '/index.tsx', '/index.ts'];

async function isFile(file) {
  return fs.stat(file).then(
    (stat) => stat.isFile(),
    () => false,
  );
}

/** The app's own module an import names (`@/…` or relative), or null for a package. */
async function resolveImport(from, specifier) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(webDir, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const extension of EXTENSIONS) if (await isFile(base + extension)) return base + extension;
  return null;
}

/** Every module of the app reachable from the given files through their imports. */
export async function importClosure(files) {
  const seen = new Set();
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(tsx?|mjs|js)$/.test(file)) continue;
    const text = await fs.readFile(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const resolved = await resolveImport(file, match[1] ?? match[2] ?? match[3]);
      if (resolved && !seen.has(resolved)) queue.push(resolved);
    }
  }
  return [...seen].sort();
}

/** The App Router's pages: URL pattern → the files that render it (page, the layouts above it…). */
export async function appRoutes() {
  const appDir = path.join(webDir, 'app');
  const pages = (await fs.readdir(appDir, { recursive: true }))
    .filter((file) => path.basename(file) === 'page.tsx')
    .sort();
  const routes = [];
  for (const page of pages) {
    const dirs = path
      .dirname(page)
      .split(path.sep)
      .filter((dir) => dir !== '.');
    const entry = [path.join(appDir, page)];
    // The root's not-found page can replace any page (notFound()), so every route carries it.
    for (let depth = 0; depth <= dirs.length; depth++) {
      for (const name of ROUTE_FILES) {
        const file = path.join(appDir, ...dirs.slice(0, depth), name);
        if (await isFile(file)) entry.push(file);
      }
    }
    const segments = dirs.filter((dir) => !(dir.startsWith('(') && dir.endsWith(')')));
    routes.push({ pattern: `/${segments.join('/')}`, files: await importClosure(entry) });
  }
  return routes;
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
  /** The same stylesheet, scanning only the given sources (paths relative to the web app). */
  const only = (files) => {
    const sources = files.map((file) => `@source '../${file.split(path.sep).join('/')}';`).join('\n');
    return compile(globals.replace(importLine, `@import 'tailwindcss' source(none);\n${sources}`));
  };
  const routes = await appRoutes();
  // Routes drawn from the same files share one compile and one stylesheet.
  const bySources = new Map();
  for (const route of routes) {
    const key = route.files.map((file) => path.relative(webDir, file)).join('\n');
    if (!bySources.has(key)) bySources.set(key, { files: key.split('\n'), patterns: [] });
    bySources.get(key).patterns.push(route.pattern);
  }
  const [full, shell, ...perRoute] = await Promise.all([
    compile(globals),
    only(SHELL_SOURCES),
    ...[...bySources.values()].map((group) => only(group.files)),
  ]);
  const parts = splitAppCss(full, shell);
  const styles = perRoute.map((css) => splitAppCss(css, shell).page);
  const manifest = {
    styles,
    routes: Object.fromEntries([...bySources.values()].flatMap((group, i) => group.patterns.map((p) => [p, i]))),
  };
  // The page parts first: a server reading between the writes finds every part the head names.
  await writeWhole(APP_CSS_FILES.page, parts.page);
  await writeWhole(APP_CSS_FILES.routes, JSON.stringify(manifest));
  await writeWhole(APP_CSS_FILES.shell, parts.shell);
  return {
    shell: parts.shell.length,
    page: parts.page.length,
    routes: routes.length,
    largestRoute: Math.max(...styles.map((css) => css.length)),
  };
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
    console.log(
      `.generated/app-shell.css: ${bytes.shell} bytes, .generated/app-page.css: ${bytes.page} bytes, ` +
        `.generated/app-routes.json: ${bytes.routes} routes, the largest ${bytes.largestRoute} bytes`,
    ),
  );
}
