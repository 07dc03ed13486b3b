/** Small presentational pieces shared by console pages (server or client). */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatKampalaTime } from '@/lib/format';
import { inputClass, secondaryButtonClass } from './form-classes';

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
      <h2 id={headingId} className="mb-4 text-lg font-semibold">
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

/** One page of a console list from the API: the page size, the filters that are set, the cursor. */
export function listPath(path: string, limit: number, filters: Record<string, string | undefined>): string {
  const query = new URLSearchParams({ limit: String(limit) });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  return `${path}?${query.toString()}`;
}

/** A list page's filters: a GET form to the page itself, so results have a URL of their own. */
export function FilterForm({
  action,
  children,
  submitLabel = 'Search',
  search = true,
  className = 'mb-4 flex flex-wrap items-end gap-3',
}: {
  action: string;
  children: ReactNode;
  submitLabel?: string;
  /** A search landmark, for a form led by a search box; false for filters alone. */
  search?: boolean;
  className?: string;
}) {
  return (
    <form role={search ? 'search' : undefined} action={action} className={className}>
      {children}
      <button type="submit" className={secondaryButtonClass}>
        {submitLabel}
      </button>
    </form>
  );
}

function FilterLabel({ id, label }: { id: string; label: string }) {
  return (
    <label htmlFor={id} className="mb-1 block text-sm font-semibold">
      {label}
    </label>
  );
}

/** A text filter (by default the search box, which takes the free width). */
export function FilterInput({
  id,
  name,
  label,
  defaultValue,
  type,
  placeholder,
  className,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string | undefined;
  type?: 'search';
  placeholder?: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <FilterLabel id={id} label={label} />
      <input
        id={id}
        name={name}
        type={type}
        placeholder={placeholder}
        defaultValue={defaultValue ?? ''}
        className={inputClass}
      />
    </div>
  );
}

/** A choice filter; the option with value '' means "any". */
export function FilterSelect({
  id,
  name,
  label,
  defaultValue,
  options,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string | undefined;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div>
      <FilterLabel id={id} label={label} />
      <select id={id} name={name} defaultValue={defaultValue ?? ''} className={inputClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The rows of a console list page: one bordered box, a line between rows. */
export function RowList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ul className="divide-y divide-line rounded-xl border border-line bg-surface" aria-label={label}>
      {children}
    </ul>
  );
}

/** One row of a RowList: what it is on the left, its state on the right (wrapping on phones). */
export function Row({ children }: { children: ReactNode }) {
  return <li className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3">{children}</li>;
}
