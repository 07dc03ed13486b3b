import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { RangeNotSatisfiableError, StorageError } from './errors';
import { type LocalStorage, OBJECTS_ROUTE, UPLOADS_ROUTE } from './local';

/**
 * The local driver's three routes on a bare node:http server, exactly as the API mounts them (the
 * API does the same with Fastify routes). Paths are matched on the raw URL without resolving dot
 * segments, as find-my-way does, so traversal attempts reach the handlers and are refused there.
 */

export interface StorageRoutesServer {
  /** `http://127.0.0.1:<port>`: pass as publicBaseUrl. */
  baseUrl: string;
  /** Which storage answers; set once the storage (which needs baseUrl) exists. */
  use(storage: LocalStorage): void;
  close(): Promise<void>;
}

const PART_ROUTE = /^([^/]+)\/parts\/([^/]+)$/;

function sendError(res: ServerResponse, err: unknown): void {
  const status = err instanceof StorageError ? err.status : 500;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Connection: 'close' };
  if (err instanceof RangeNotSatisfiableError) headers['Content-Range'] = `bytes */${err.size}`;
  const body =
    err instanceof StorageError
      ? { error: { code: err.code, message: err.message } }
      : { error: { code: 'INTERNAL', message: 'Internal error' } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

async function route(storage: LocalStorage, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const queryAt = raw.indexOf('?');
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const request = { contentLength: req.headers['content-length'], contentType: req.headers['content-type'] };

  if (rawPath.startsWith(OBJECTS_ROUTE)) {
    const key = decodeURIComponent(rawPath.slice(OBJECTS_ROUTE.length));
    if (req.method === 'GET') {
      const object = await storage.verifyAndReadObject(key, query, req.headers.range);
      res.writeHead(object.status, object.headers);
      await pipeline(object.stream, res);
      return;
    }
    if (req.method === 'PUT') {
      const written = await storage.verifyAndWriteObject(key, query, req, request);
      res.writeHead(200, written.headers);
      res.end();
      return;
    }
  }
  const part = rawPath.startsWith(UPLOADS_ROUTE) ? PART_ROUTE.exec(rawPath.slice(UPLOADS_ROUTE.length)) : null;
  if (part && req.method === 'PUT') {
    const [, uploadId = '', partNumber = ''] = part;
    const written = await storage.verifyAndWritePart(
      decodeURIComponent(uploadId),
      decodeURIComponent(partNumber),
      query,
      req,
      request,
    );
    res.writeHead(200, written.headers);
    res.end();
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } }));
}

export async function startStorageRoutes(): Promise<StorageRoutesServer> {
  let storage: LocalStorage | undefined;
  const server: Server = createServer((req, res) => {
    if (!storage) {
      sendError(res, new Error('no storage mounted'));
      return;
    }
    route(storage, req, res).catch((err: unknown) => {
      if (err instanceof URIError && !res.headersSent) {
        res.writeHead(400, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'Malformed URL encoding' } }));
        return;
      }
      sendError(res, err);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    use(next) {
      storage = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
