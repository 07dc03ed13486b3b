import { describe, expect, it } from 'vitest';
import { splitAppCss, topLevelRules } from './app-css.mjs';

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
