import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a provider double received, as the provider would see it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

export interface DoubleReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type DoubleHandler = (request: ReceivedRequest) => DoubleReply | Promise<DoubleReply>;

/**
 * A provider's HTTP API on a random local port: real sockets, so the adapters' fetch / SDK code
 * runs unchanged. Every request is kept for the tests to assert on.
 */
export async function startHttpDouble(handler: DoubleHandler) {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double.local');
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (reply) => {
            const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
            res.writeHead(reply.status, {
              ...(reply.body !== undefined && { 'content-type': 'application/json' }),
              ...reply.headers,
            });
            res.end(body);
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: String(err) }));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests to one path (and method), in arrival order. */
    requests(method: string, path: string | RegExp) {
      return received.filter(
        (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type HttpDouble = Awaited<ReturnType<typeof startHttpDouble>>;

/** The JSON body of a request (the mobile-money APIs speak JSON). */
export function jsonOf<T = Record<string, unknown>>(request: ReceivedRequest): T {
  return JSON.parse(request.raw) as T;
}
