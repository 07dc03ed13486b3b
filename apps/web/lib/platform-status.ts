/**
 * Reads the API's liveness (/healthz) and readiness (/readyz) endpoints for the status page.
 * Runs on the server only, at request time; API_URL is read per call so one build can be
 * pointed at any API by the environment it is started in.
 */

export type CheckState = 'ok' | 'degraded' | 'down';

export interface DependencyCheck {
  /** Key as the API reports it: `database`, `storage`, `redis`, … */
  key: string;
  label: string;
  state: CheckState;
  /** The status string exactly as the API sent it, for display when it is not a known one. */
  reportedStatus: string;
  latencyMs: number | null;
}

export interface ApiHealth {
  uptimeSeconds: number | null;
  version: string | null;
}

export type PlatformStatus =
  | { kind: 'unreachable'; checkedAt: Date }
  | {
      kind: 'reachable';
      overall: 'ok' | 'degraded';
      /** False when /healthz answered but /readyz did not: dependencies are then unknown. */
      readinessKnown: boolean;
      checks: DependencyCheck[];
      health: ApiHealth | null;
      checkedAt: Date;
    };

export const DEFAULT_API_URL = 'http://127.0.0.1:4000';
const REQUEST_TIMEOUT_MS = 2_000;

const CHECK_LABELS: Record<string, string> = {
  database: 'Database',
  storage: 'Media storage',
  redis: 'Cache & queues (Redis)',
};
const CHECK_ORDER = ['database', 'storage', 'redis'];

export function apiBaseUrl(): string {
  return (process.env.API_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
}

type JsonResult = { ok: true; httpStatus: number; body: unknown } | { ok: false };

async function fetchJson(url: string): Promise<JsonResult> {
  try {
    const response = await fetch(url, {
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // /readyz answers 503 with a JSON body when degraded, so the body matters more than the code.
    const body: unknown = await response.json();
    return { ok: true, httpStatus: response.status, body };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toCheckState(status: unknown): CheckState {
  if (status === 'ok') return 'ok';
  if (status === 'degraded') return 'degraded';
  return 'down';
}

function labelFor(key: string): string {
  return CHECK_LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function orderOf(key: string): number {
  const index = CHECK_ORDER.indexOf(key);
  return index === -1 ? CHECK_ORDER.length : index;
}

export function parseReadiness(body: unknown): { status: string; checks: DependencyCheck[] } | null {
  if (!isRecord(body) || typeof body.status !== 'string') return null;
  const rawChecks = isRecord(body.checks) ? body.checks : {};
  const checks = Object.entries(rawChecks)
    .map(([key, value]): DependencyCheck => {
      const check = isRecord(value) ? value : {};
      const latency = check.latencyMs;
      return {
        key,
        label: labelFor(key),
        state: toCheckState(check.status),
        reportedStatus: typeof check.status === 'string' ? check.status : 'unknown',
        latencyMs: typeof latency === 'number' && Number.isFinite(latency) ? latency : null,
      };
    })
    .sort((a, b) => orderOf(a.key) - orderOf(b.key) || a.key.localeCompare(b.key));
  return { status: body.status, checks };
}

export function parseHealth(body: unknown): ApiHealth | null {
  if (!isRecord(body) || typeof body.status !== 'string') return null;
  const uptime = body.uptimeSeconds;
  return {
    uptimeSeconds: typeof uptime === 'number' && Number.isFinite(uptime) ? uptime : null,
    version: typeof body.version === 'string' ? body.version : null,
  };
}

export async function getPlatformStatus(): Promise<PlatformStatus> {
  const base = apiBaseUrl();
  const [ready, live] = await Promise.all([fetchJson(`${base}/readyz`), fetchJson(`${base}/healthz`)]);
  const checkedAt = new Date();

  const readiness = ready.ok ? parseReadiness(ready.body) : null;
  const health = live.ok ? parseHealth(live.body) : null;

  if (!readiness && !health) return { kind: 'unreachable', checkedAt };

  if (!readiness) {
    return { kind: 'reachable', overall: 'degraded', readinessKnown: false, checks: [], health, checkedAt };
  }

  const healthy =
    ready.ok &&
    ready.httpStatus < 400 &&
    readiness.status === 'ok' &&
    readiness.checks.every((check) => check.state === 'ok');

  return {
    kind: 'reachable',
    overall: healthy ? 'ok' : 'degraded',
    readinessKnown: true,
    checks: readiness.checks,
    health,
    checkedAt,
  };
}
