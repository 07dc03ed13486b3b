import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIds } from './request-id';

const request = (headers: Record<string, string | string[]> = {}) => ({ headers }) as unknown as IncomingMessage;

describe('request ids', () => {
  it('are unique within a process and differ between processes', () => {
    const one = requestIds();
    const ids = Array.from({ length: 10_000 }, () => one(request()));
    expect(new Set(ids).size).toBe(ids.length);
    const other = requestIds();
    expect(ids).not.toContain(other(request()));
  });

  it('look like ids a proxy in front of another instance would pass on', () => {
    const next = requestIds();
    const id = next(request());
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const downstream = requestIds();
    expect(downstream(request({ 'x-request-id': id }))).toBe(id);
  });

  it("keep a caller's id only when it looks like one", () => {
    const next = requestIds('abcdef012345');
    expect(next(request({ 'x-request-id': 'edge-test-0001' }))).toBe('edge-test-0001');
    expect(next(request({ 'x-request-id': 'bad id with spaces' }))).toBe('abcdef012345-1');
    expect(next(request({ 'x-request-id': 'short' }))).toBe('abcdef012345-2');
    expect(next(request({ 'x-request-id': ['abcdefgh1', 'abcdefgh2'] }))).toBe('abcdef012345-3');
  });
});
