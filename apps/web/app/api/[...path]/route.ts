import { REFRESH_COOKIE } from '@kush/contracts';
import { apiBaseUrl } from '@/lib/platform-status';

/**
 * Same-origin proxy: the browser only ever talks to the web origin, and /api/* is forwarded to
 * the API, so the API's httpOnly auth cookies work without CORS.
 *
 * A route handler rather than a next.config.ts rewrite or a proxy.ts rewrite, because
 * - config rewrites are frozen into .next/routes-manifest.json at build time, so one build
 *   (one Docker image) could not be pointed at a different API by its environment;
 * - a proxy.ts rewrite to an external URL answers with an `x-middleware-rewrite` header that
 *   tells every client the API's internal address.
 */
export const dynamic = 'force-dynamic';

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

// fetch() chooses its own framing and decompresses, so these would no longer describe the body.
const REQUEST_HEADERS_DROPPED = [...HOP_BY_HOP, 'host', 'content-length', 'accept-encoding', 'proxy-authorization'];
const RESPONSE_HEADERS_DROPPED = [...HOP_BY_HOP, 'content-length', 'content-encoding'];

function forwardedRequestHeaders(incoming: Headers): Headers {
  const headers = new Headers(incoming);
  for (const name of REQUEST_HEADERS_DROPPED) headers.delete(name);
  return headers;
}

function forwardedResponseHeaders(upstream: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) {
    if (name === 'set-cookie' || RESPONSE_HEADERS_DROPPED.includes(name)) continue;
    headers.append(name, value);
  }
  // Iterating Headers joins Set-Cookie values with commas, which breaks cookie attributes.
  for (const cookie of upstream.getSetCookie()) {
    headers.append('set-cookie', cookie);
    const hint = signedInHintFor(cookie);
    if (hint) headers.append('set-cookie', hint);
  }
  return headers;
}

const SIGNED_IN_HINT = 'kf_signed_in';

/**
 * The refresh cookie is scoped to /api/v1/auth, so a page rendered after the access cookie expired
 * cannot tell a lapsed session from a signed-out visitor. Alongside it goes a readable hint (no
 * secret: "1") on path /, with the same lifetime, so the page can refresh in the browser first.
 */
function signedInHintFor(setCookie: string): string | null {
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  if (eq === -1 || pair.slice(0, eq) !== REFRESH_COOKIE) return null;
  const value = pair.slice(eq + 1);
  const lifetime: string[] = [];
  let secure = false;
  let cleared = value === '';
  for (const attribute of attributes) {
    const [name = '', attrValue = ''] = attribute.split('=');
    const key = name.toLowerCase();
    if (key === 'secure') secure = true;
    if (key === 'max-age') {
      lifetime.push(attribute);
      if (Number(attrValue) <= 0) cleared = true;
    }
    if (key === 'expires') {
      lifetime.push(attribute);
      if (Date.parse(attrValue) <= Date.now()) cleared = true;
    }
  }
  const common = `Path=/; SameSite=Lax${secure ? '; Secure' : ''}`;
  if (cleared) return `${SIGNED_IN_HINT}=; ${common}; Max-Age=0`;
  return `${SIGNED_IN_HINT}=1; ${common}${lifetime.length ? `; ${lifetime.join('; ')}` : ''}`;
}

function apiUnavailable(): Response {
  return Response.json(
    {
      error: {
        code: 'API_UNAVAILABLE',
        message: 'The Kush Films API is not reachable right now. Please try again shortly.',
        requestId: crypto.randomUUID(),
      },
    },
    { status: 502, headers: { 'cache-control': 'no-store' } },
  );
}

async function proxyToApi(request: Request): Promise<Response> {
  const incoming = new URL(request.url);
  const target = `${apiBaseUrl()}${incoming.pathname}${incoming.search}`;
  const read = request.method === 'GET' || request.method === 'HEAD';
  const hasBody = !read && request.body !== null;

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: forwardedRequestHeaders(request.headers),
      body: hasBody ? request.body : undefined,
      // Required by Node's fetch to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
      redirect: 'manual',
      cache: 'no-store',
      // A read is dropped when its browser goes away. A change is not: once received here, it is
      // passed on even if the page that sent it is already gone (the player's stop and last
      // progress go out as the page unloads; on a busy server the browser's side of such a
      // request can close before this handler has even started).
      ...(read ? { signal: request.signal } : {}),
    } as RequestInit);
  } catch {
    return apiUnavailable();
  }

  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: forwardedResponseHeaders(upstream.headers),
  });
}

export {
  proxyToApi as GET,
  proxyToApi as HEAD,
  proxyToApi as POST,
  proxyToApi as PUT,
  proxyToApi as PATCH,
  proxyToApi as DELETE,
  proxyToApi as OPTIONS,
};
