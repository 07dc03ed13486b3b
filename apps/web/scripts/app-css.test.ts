import { describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoutes, splitAppCss, topLevelRules } from './app-css.mjs';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('topLevelRules', () => {
  it('splits rules and statements, ignoring braces in strings, comments and escapes', () => {
    const css =
      '/*! licence { */@layer theme{:root{--a:1}}@layer components;' +
      '.x\\{y{content:"}{"}@media (width>=1px){.z{color:red}}.q{content:\'a;b\'}';
    expect(topLevelRules(css)).toEqual([
      '/*! licence { */@layer theme{:root{--a:1}}',
      '@layer components;',
      '.x\\{y{content:"}{"}',
      '@media (width>=1px){.z{color:red}}',
      ".q{content:'a;b'}",
    ]);
  });
});

describe('splitAppCss', () => {
  const full =
    '@layer theme{:root{--c:red}}@layer base{*{margin:0}}@layer utilities{.a{top:0}.b{left:0}.c{right:0}}' +
    '@property --tw-x{syntax:"*";inherits:false}';
  const frame = '@layer theme{:root{--c:red}}@layer utilities{.b{left:0}}';

  it('puts every non-utility rule and the frame utilities in the head, every utility in the page part', () => {
    expect(splitAppCss(full, frame)).toEqual({
      shell:
        '@layer theme{:root{--c:red}}@layer base{*{margin:0}}@property --tw-x{syntax:"*";inherits:false}' +
        '@layer utilities{.b{left:0}}',
      page: '@layer utilities{.a{top:0}.b{left:0}.c{right:0}}',
    });
  });

  it('refuses a stylesheet without a utilities layer rather than sending pages unstyled', () => {
    expect(() => splitAppCss('@layer base{*{margin:0}}', frame)).toThrow(/no utilities layer/);
  });
});

describe('appRoutes', () => {
  it('finds every page with the files that draw it: page, layouts, not-found and what they import', async () => {
    const routes = await appRoutes();
    const byPattern = new Map(routes.map((route) => [route.pattern, route.files.map((f) => path.relative(webDir, f))]));
    expect(byPattern.has('/title/[slug]')).toBe(true);
    expect(byPattern.has('/console/titles/[id]')).toBe(true);
    const home = byPattern.get('/')!;
    for (const file of [
      'app/page.tsx',
      'app/layout.tsx',
      'app/not-found.tsx',
      'components/site-header.tsx',
      'components/home/rows.tsx',
      'components/home/more-rows.tsx',
      'components/title-card.tsx',
    ]) {
      expect(home).toContain(file);
    }
    expect(home.some((file) => file.startsWith('components/console/'))).toBe(false);
    // A nested layout applies to the pages under it only.
    expect(byPattern.get('/console/titles')).toContain('app/console/layout.tsx');
    expect(home).not.toContain('app/console/layout.tsx');
  });
});

describe('the type scale', () => {
  it('uses only the theme’s three weights: any other weight class would style nothing', async () => {
    const weights = /\bfont-(thin|extralight|light|medium|bold|extrabold)\b/g;
    const found: string[] = [];
    for (const dir of ['app', 'components', 'lib']) {
      for (const file of await fs.readdir(path.join(webDir, dir), { recursive: true })) {
        if (!/\.(tsx?|css)$/.test(file)) continue;
        const text = await fs.readFile(path.join(webDir, dir, file), 'utf8');
        for (const match of text.matchAll(weights)) found.push(`${dir}/${file}: ${match[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('the brand mark', () => {
  it('is drawn inline from the file make-icons.mjs writes, so a new icon design reaches the header', async () => {
    const css = await fs.readFile(path.join(webDir, 'app/globals.css'), 'utf8');
    const inline = [...css.matchAll(/url\(data:image\/webp;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => m[1]);
    const file = await fs.readFile(path.join(webDir, 'public/icons/mark-56.webp'));
    expect(inline).toEqual([file.toString('base64')]);
    // 56 px wide and high: 28 CSS px at two device pixels per px (VP8X canvas size, minus one).
    expect([file.readUIntLE(24, 3) + 1, file.readUIntLE(27, 3) + 1]).toEqual([56, 56]);
  });
});
