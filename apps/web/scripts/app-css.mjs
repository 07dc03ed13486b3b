/**
 * The app's stylesheet, compiled from app/globals.css by Tailwind (the classes it finds in the
 * sources) and minified, into .generated/app.css. The pages carry it inline in their <head>
 * (components/app-styles.tsx), so a first visit paints without a second round trip for CSS.
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
export const APP_CSS_FILE = path.join(webDir, '.generated/app.css');

export async function buildAppCss() {
  // Build-time tools: loaded only here, so `next start` in a production image never needs them.
  const [{ default: postcss }, { default: tailwind }] = await Promise.all([
    import('postcss'),
    import('@tailwindcss/postcss'),
  ]);
  const result = await postcss([tailwind({ base: webDir, optimize: { minify: true } })]).process(
    await fs.readFile(source, 'utf8'),
    { from: source },
  );
  await fs.mkdir(path.dirname(APP_CSS_FILE), { recursive: true });
  // Written whole, then renamed: a page rendered meanwhile reads the old file or the new one.
  const temporary = `${APP_CSS_FILE}.${process.pid}.tmp`;
  await fs.writeFile(temporary, result.css);
  await fs.rename(temporary, APP_CSS_FILE);
  return result.css.length;
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
  void buildAppCss().then((bytes) => console.log(`${path.relative(process.cwd(), APP_CSS_FILE)}: ${bytes} bytes`));
}
