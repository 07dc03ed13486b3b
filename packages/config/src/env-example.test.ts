import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from './schema';

describe('README configuration table', () => {
  it('documents every configuration variable', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    expect(ENV_KEYS.filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
  });
});

describe('.env.example', () => {
  it('lists every configuration variable, each with a comment, and nothing else', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../../.env.example'), 'utf8');
    const lines = text.split('\n');
    const documented = new Map<string, number>();
    lines.forEach((line, i) => {
      const m = /^#?\s?([A-Z][A-Z0-9_]+)=/.exec(line);
      if (m) documented.set(m[1]!, i);
    });
    expect([...documented.keys()].sort()).toEqual([...ENV_KEYS].sort());
    for (const [key, i] of documented) {
      const above = lines.slice(Math.max(0, i - 2), i).join('\n');
      expect(above, `${key} needs a comment above it`).toMatch(/^# [A-Za-z(]/m);
    }
  });
});
