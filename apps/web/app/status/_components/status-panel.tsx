import type { CheckState, DependencyCheck, PlatformStatus } from '@/lib/platform-status';
import { formatKampalaTime, formatLatency, formatUptime } from '@/lib/format';

const STATE_TEXT: Record<CheckState, string> = { ok: 'OK', degraded: 'Degraded', down: 'Down' };

const STATE_DOT: Record<CheckState | 'unreachable', string> = {
  ok: 'bg-ok',
  degraded: 'bg-warn',
  down: 'bg-down',
  unreachable: 'bg-down',
};

const STATE_TEXT_COLOUR: Record<CheckState, string> = {
  ok: 'text-ok',
  degraded: 'text-warn',
  down: 'text-down',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function StatusDot({ state }: { state: CheckState | 'unreachable' }) {
  return (
    <span aria-hidden="true" className="relative inline-flex size-3 shrink-0">
      {state === 'ok' ? (
        <span className={`absolute inset-0 rounded-full ${STATE_DOT[state]} opacity-40 blur-[3px]`} />
      ) : null}
      <span className={`relative inline-flex size-3 rounded-full ${STATE_DOT[state]}`} />
    </span>
  );
}

function CheckedAt({ date }: { date: Date }) {
  return (
    <p className="text-sm text-muted">
      Checked <time dateTime={date.toISOString()}>{formatKampalaTime(date)}</time>
    </p>
  );
}

function CheckRow({ check }: { check: DependencyCheck }) {
  // An unfamiliar status ("error", "timeout", …) is shown as the API worded it.
  const stateText =
    check.state === 'down' && check.reportedStatus !== 'down'
      ? capitalise(check.reportedStatus)
      : STATE_TEXT[check.state];
  return (
    <li
      data-check={check.key}
      data-status={check.state}
      className="flex items-center justify-between gap-4 px-4 py-3 sm:px-5"
    >
      <span className="flex min-w-0 items-center gap-3">
        <StatusDot state={check.state} />
        <span className="truncate font-semibold">{check.label}</span>
      </span>
      <span className="flex shrink-0 items-baseline gap-3 text-sm">
        {check.latencyMs !== null ? (
          <span className="text-muted tabular-nums">{formatLatency(check.latencyMs)}</span>
        ) : null}
        <span className={`font-semibold ${STATE_TEXT_COLOUR[check.state]}`}>{stateText}</span>
      </span>
    </li>
  );
}

function Unreachable({ checkedAt }: { checkedAt: Date }) {
  return (
    <div
      data-testid="overall-status"
      data-state="unreachable"
      className="rounded-xl border border-down/40 bg-down/10 p-5 sm:p-6"
    >
      <div className="flex items-center gap-3">
        <StatusDot state="unreachable" />
        <h2 className="text-xl font-semibold">API unreachable</h2>
      </div>
      <p className="mt-3 max-w-prose text-fg/90">
        The web app could not reach the Kush Films API within 2 seconds. Browsing, sign-in and playback are unavailable
        until it answers again.
      </p>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <CheckedAt date={checkedAt} />
        <a
          href="/status"
          className="inline-flex min-h-11 items-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90"
        >
          Check again
        </a>
      </div>
    </div>
  );
}

export function StatusPanel({ status }: { status: PlatformStatus }) {
  if (status.kind === 'unreachable') return <Unreachable checkedAt={status.checkedAt} />;

  const healthy = status.overall === 'ok';
  const headline = healthy
    ? 'All systems operational'
    : status.readinessKnown
      ? 'Degraded service'
      : 'API up, readiness unknown';

  return (
    <div className="overflow-hidden rounded-xl border border-line bg-surface">
      <div
        data-testid="overall-status"
        data-state={status.overall}
        className={`border-b border-line p-5 sm:p-6 ${healthy ? 'bg-ok/10' : 'bg-warn/10'}`}
      >
        <div className="flex items-center gap-3">
          <StatusDot state={status.overall} />
          <h2 className="text-xl font-semibold">{headline}</h2>
        </div>
        <div className="mt-2">
          <CheckedAt date={status.checkedAt} />
        </div>
      </div>

      <section aria-labelledby="dependencies-heading">
        <h3
          id="dependencies-heading"
          className="px-4 pt-5 text-xs font-semibold tracking-widest text-muted uppercase sm:px-5"
        >
          Dependencies
        </h3>
        {status.checks.length > 0 ? (
          <ul className="mt-2 divide-y divide-line">
            {status.checks.map((check) => (
              <CheckRow key={check.key} check={check} />
            ))}
          </ul>
        ) : (
          <p className="px-4 py-3 text-muted sm:px-5">
            {status.readinessKnown ? 'The API reported no dependency checks.' : 'The readiness check did not answer.'}
          </p>
        )}
      </section>

      {status.health ? (
        <section aria-labelledby="api-heading" className="border-t border-line">
          <h3 id="api-heading" className="px-4 pt-5 text-xs font-semibold tracking-widest text-muted uppercase sm:px-5">
            API
          </h3>
          <dl className="grid grid-cols-2 gap-4 px-4 pt-2 pb-5 sm:px-5">
            <div>
              <dt className="text-sm text-muted">Version</dt>
              <dd className="font-semibold break-all" data-testid="api-version">
                {status.health.version ?? 'unknown'}
              </dd>
            </div>
            <div>
              <dt className="text-sm text-muted">Uptime</dt>
              <dd className="font-semibold tabular-nums">
                {status.health.uptimeSeconds !== null ? formatUptime(status.health.uptimeSeconds) : 'unknown'}
              </dd>
            </div>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
