import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { createUpload, localPath } from '../../testing/uploads';

let t: TestApp;
let staff: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  staff = await signInStaff(t, ['content_manager']);
});
afterAll(async () => {
  await t?.close();
});

describe('local storage routes', () => {
  it('accept only the signed request, answering refusals in the error format', async () => {
    const body = Buffer.from('x'.repeat(100));
    const created = await createUpload(t, staff, body.length);
    const url = localPath(created.upload.url!);
    const headers = { ...created.upload.headers, 'content-length': String(body.length) };

    const altered = url.replace(/sig=([^&])/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    const forged = await t.app.inject({ method: 'PUT', url: altered, headers, payload: body });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toMatchObject({ code: 'FORBIDDEN', requestId: expect.any(String) });

    const elsewhere = url.replace(/objects\/videos\/[^/]+\/source/, 'objects/videos/../../etc/passwd');
    const traversal = await t.app.inject({ method: 'PUT', url: elsewhere, headers, payload: body });
    expect([400, 403, 404]).toContain(traversal.statusCode);
    expect(traversal.json().error.code).toBeDefined();

    const unsigned = await t.app.inject({ method: 'GET', url: url.split('?')[0]! });
    expect(unsigned.statusCode).toBe(403);

    const ok = await t.app.inject({ method: 'PUT', url, headers, payload: body });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBeTruthy();
  });
});
