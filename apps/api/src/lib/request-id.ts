import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const INCOMING = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Request ids: a random prefix per process and a counter. They only need to be unique across the
 * instances whose logs are joined, not unguessable, and a counter costs far less than a random
 * UUID on every request (it showed in profiles of the cached catalog reads).
 */
export function requestIds(prefix = randomBytes(6).toString('hex')): (request: IncomingMessage) => string {
  let next = 0;
  return (request) => {
    // Reuse a caller's request id (a proxy's) when it looks like one, so logs join up across hops.
    const incoming = request.headers['x-request-id'];
    if (typeof incoming === 'string' && INCOMING.test(incoming)) return incoming;
    next = next === Number.MAX_SAFE_INTEGER ? 1 : next + 1;
    return `${prefix}-${next.toString(36)}`;
  };
}
