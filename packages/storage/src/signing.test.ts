import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorageAccessError } from './errors';
import { assertSigned, signPath, verify } from './signing';

const SECRET = 'test-media-signing-secret-0123456789abcdef';
const NOW = 1_750_000_000_000;
const EXP = NOW / 1000 + 300;

function check(overrides: Partial<Parameters<typeof verify>[0]> = {}) {
  const signature = signPath('PUT', 'videos/a/source', EXP, SECRET, { uploadId: 'u1', partNumber: '3' });
  return verify({
    method: 'PUT',
    path: 'videos/a/source',
    expiresAt: String(EXP),
    signature,
    secret: SECRET,
    extra: { uploadId: 'u1', partNumber: '3' },
    now: NOW,
    ...overrides,
  });
}

describe('signPath / verify', () => {
  it('round-trips, as base64url without padding', () => {
    const signature = signPath('GET', 'k', EXP, SECRET);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(check()).toEqual({ ok: true });
    // Extra parameters sign the same whatever order they come in.
    expect(check({ extra: { partNumber: '3', uploadId: 'u1' } })).toEqual({ ok: true });
  });

  it('binds the method, key, expiry, every scoping parameter and the secret', () => {
    const invalid = { ok: false, reason: 'invalid' };
    expect(check({ method: 'GET' })).toEqual(invalid);
    expect(check({ path: 'videos/b/source' })).toEqual(invalid);
    expect(check({ path: 'videos/a/source/' })).toEqual(invalid);
    expect(check({ expiresAt: String(EXP + 1) })).toEqual(invalid);
    expect(check({ extra: { uploadId: 'u2', partNumber: '3' } })).toEqual(invalid);
    expect(check({ extra: { uploadId: 'u1', partNumber: '4' } })).toEqual(invalid);
    expect(check({ extra: { uploadId: 'u1' } })).toEqual(invalid);
    expect(check({ extra: { uploadId: 'u1', partNumber: '3', ct: 'x' } })).toEqual(invalid);
    expect(check({ secret: `${SECRET}x` })).toEqual(invalid);
  });

  it('keeps fields apart: moving characters between them changes the signature', () => {
    const a = signPath('GET', 'a', EXP, SECRET, { x: 'b' });
    expect(signPath('GET', 'ab', EXP, SECRET, { x: '' })).not.toBe(a);
    expect(signPath('GET', 'a', EXP, SECRET, { xb: '' })).not.toBe(a);
  });

  it('reports expiry only for a genuine signature', () => {
    expect(check({ now: EXP * 1000 })).toEqual({ ok: false, reason: 'expired' });
    expect(check({ now: EXP * 1000 - 1 })).toEqual({ ok: true });
    expect(check({ now: EXP * 1000, path: 'other' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tells missing from malformed', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ expiresAt: '' })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ expiresAt: '-5' })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ expiresAt: '1e9' })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ signature: 'not+base64url/' })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ signature: 'a'.repeat(44) })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('assertSigned throws StorageAccessError with the reason', () => {
    expect(() =>
      assertSigned({ method: 'GET', path: 'k', expiresAt: String(EXP), signature: 'x'.repeat(43), secret: SECRET }),
    ).toThrow(StorageAccessError);
  });

  it('refuses weak secrets and bad expiries when signing', () => {
    expect(() => signPath('GET', 'k', EXP, 'short')).toThrow(/32/);
    expect(() => signPath('GET', 'k', 1.5, SECRET)).toThrow();
  });

  it('rejects every single-character change to a signature (property)', () => {
    const signature = signPath('GET', 'videos/a/hls/720p/seg_1.ts', EXP, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat({ max: 42 }), fc.constantFrom(...alphabet.split('')), (index, char) => {
        fc.pre(signature[index] !== char);
        const altered = signature.slice(0, index) + char + signature.slice(index + 1);
        const result = verify({
          method: 'GET',
          path: 'videos/a/hls/720p/seg_1.ts',
          expiresAt: String(EXP),
          signature: altered,
          secret: SECRET,
          now: NOW,
        });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('verifies what it signed and nothing else (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'PUT'),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        (method, key, otherKey, extra) => {
          const signature = signPath(method, key, EXP, SECRET, extra);
          const base = { method, path: key, expiresAt: String(EXP), signature, secret: SECRET, extra, now: NOW };
          expect(verify(base)).toEqual({ ok: true });
          if (otherKey !== key) expect(verify({ ...base, path: otherKey }).ok).toBe(false);
        },
      ),
    );
  });
});
