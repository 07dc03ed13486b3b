/** Small presentational pieces shared by console pages (server or client). */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatKampalaTime } from '@/lib/format';

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-black tracking-tight sm:text-3xl">{title}</h1>
        {description ? <p className="mt-1 max-w-prose text-sm text-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function Panel({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section aria-labelledby={headingId} id={id} className="rounded-xl border border-line bg-surface p-4 sm:p-5">
      <h2 id={headingId} className="mb-4 text-lg font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A UTC instant shown in Kampala time. */
export function KampalaTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatKampalaTime(new Date(iso))}</time>;
}

const STATUS_STYLE: Record<string, string> = {
  draft: 'border-line text-muted',
  scheduled: 'border-warn/60 text-warn',
  published: 'border-ok/60 text-ok',
  archived: 'border-line text-muted line-through',
  ready: 'border-ok/60 text-ok',
  failed: 'border-down/60 text-down',
  suspended: 'border-down/60 text-down',
  hidden: 'border-down/60 text-down',
  active: 'border-ok/60 text-ok',
  visible: 'border-ok/60 text-ok',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold capitalize ${STATUS_STYLE[status] ?? 'border-line text-fg'}`}
    >
      {status}
    </span>
  );
}

/** Cursor paging: the API's cursors only go forward, so "first page" is the way back. */
export function Pager({
  basePath,
  params,
  nextCursor,
  hasCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
  hasCursor: boolean;
}) {
  const href = (cursor?: string) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
    if (cursor) query.set('cursor', cursor);
    const text = query.toString();
    return text ? `${basePath}?${text}` : basePath;
  };
  if (!nextCursor && !hasCursor) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap gap-2">
      {hasCursor ? (
        <Link
          href={href()}
          className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
        >
          ← First page
        </Link>
      ) : null}
      {nextCursor ? (
        <Link
          href={href(nextCursor)}
          className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
        >
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-line p-6 text-center text-muted">{children}</p>;
}

/** The first value of a search param. */
export function param(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in console URLs are UUIDs; anything else is not found without asking the API. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
