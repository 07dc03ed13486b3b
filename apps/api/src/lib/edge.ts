import type { IncomingMessage, ServerResponse } from 'node:http';

/** A finished answer a module can give from memory, without the framework. */
export interface EdgeAnswer {
  status: 200 | 304;
  headers: Record<string, string | number>;
  body?: string | Buffer;
  /** The route pattern, for the request metrics (the same label Fastify's path would give). */
  route: string;
}

/** Answers a request from memory, or returns undefined to let the framework handle it. */
export type EdgeLookup = (request: IncomingMessage) => EdgeAnswer | undefined;

export interface EdgeOptions {
  /** Headers every API response carries (the security headers). */
  headers: Readonly<Record<string, string>>;
  /** The request id, chosen the way the framework chooses it. */
  requestId: (request: IncomingMessage) => string;
}

type Observer = (method: string, route: string, status: number, seconds: number) => void;

/**
 * The API's own edge: requests that a module can answer from memory (the catalog's cached public
 * bodies) are answered before the framework sees them — no hooks, routing, validation or per-request
 * logger — much as a CDN answers them in production. Whatever is not found here, and anything
 * personal (the lookups decline it), goes on to Fastify untouched. Edge answers skip the per-IP
 * rate limit, as CDN hits do: they cost less than the limiter's own bookkeeping.
 */
export class Edge {
  private readonly lookups: EdgeLookup[] = [];
  private observer: Observer | undefined;
  private readonly prepared = new WeakMap<EdgeAnswer, Record<string, string | number>>();

  constructor(private readonly options: EdgeOptions) {}

  /** Adds a lookup; lookups are asked in the order they were added. */
  use(lookup: EdgeLookup): void {
    this.lookups.push(lookup);
  }

  /**
   * Every header of an answer but the request id, worked out once per answer: lookups hand back the
   * same answer object for the same cached representation, so a hit copies one prepared object.
   */
  private headersOf(answer: EdgeAnswer): Record<string, string | number> {
    let headers = this.prepared.get(answer);
    if (!headers) {
      headers = { ...this.options.headers, ...answer.headers };
      if (answer.body !== undefined) headers['content-length'] = Buffer.byteLength(answer.body);
      this.prepared.set(answer, headers);
    }
    return headers;
  }

  /** Where answered requests are counted (the request-duration histogram). */
  observe(observer: Observer): void {
    this.observer = observer;
  }

  /** Answers `request` when a lookup can; true when it did (the framework must then not). */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' || this.lookups.length === 0) return false;
    const started = performance.now();
    let answer: EdgeAnswer | undefined;
    try {
      for (const lookup of this.lookups) {
        answer = lookup(request);
        if (answer) break;
      }
    } catch {
      // A lookup that fails leaves the request to the framework, which reports errors properly.
      return false;
    }
    if (!answer) return false;
    const headers = { ...this.headersOf(answer), 'x-request-id': this.options.requestId(request) };
    response.writeHead(answer.status, headers);
    response.end(answer.body);
    this.observer?.('GET', answer.route, answer.status, (performance.now() - started) / 1000);
    return true;
  }
}
