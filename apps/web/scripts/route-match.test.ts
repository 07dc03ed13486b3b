import { describe, expect, it } from 'vitest';
import { routeMatcher } from './route-match.mjs';

describe('routeMatcher', () => {
  const routeOf = routeMatcher([
    '/',
    '/title/[slug]',
    '/console/titles/new',
    '/console/titles/[id]',
    '/console/titles',
    '/docs/[...path]',
    '/help/[[...topic]]',
  ]);

  it('matches static paths and dynamic segments as the App Router does', () => {
    expect(routeOf('/')).toBe('/');
    expect(routeOf('/title/queen-of-katwe')).toBe('/title/[slug]');
    expect(routeOf('/title/queen-of-katwe?ref=home')).toBe('/title/[slug]');
    expect(routeOf('/console/titles')).toBe('/console/titles');
    expect(routeOf('/console/titles/')).toBe('/console/titles');
  });

  it('prefers a static segment to a dynamic one, whatever the order it was given in', () => {
    expect(routeOf('/console/titles/new')).toBe('/console/titles/new');
    expect(routeOf('/console/titles/0190')).toBe('/console/titles/[id]');
  });

  it('matches catch-all segments: one or more, and zero or more when optional', () => {
    expect(routeOf('/docs/a/b/c')).toBe('/docs/[...path]');
    expect(routeOf('/docs')).toBeNull();
    expect(routeOf('/help')).toBe('/help/[[...topic]]');
    expect(routeOf('/help/a/b')).toBe('/help/[[...topic]]');
  });

  it('answers null for a path no page renders, and copes with bad escapes', () => {
    expect(routeOf('/title')).toBeNull();
    expect(routeOf('/title/a/b')).toBeNull();
    expect(routeOf('/nowhere')).toBeNull();
    expect(routeOf('/title/%E0%A4%A')).toBe('/title/[slug]');
  });
});
