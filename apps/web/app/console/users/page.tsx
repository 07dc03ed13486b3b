import Link from 'next/link';
import { ROLES } from '@kush/contracts';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import type { Account, Page } from '@/components/console/types';
import { EmptyState, KampalaTime, PageHeader, Pager, StatusBadge, param } from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'Users' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const STATUSES = ['active', 'suspended'] as const;

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('users:manage');
  const query = await searchParams;
  const q = param(query.q);
  const role = ROLES.find((r) => r === param(query.role));
  const status = STATUSES.find((s) => s === param(query.status));
  const cursor = param(query.cursor);
  const apiQuery = new URLSearchParams({ limit: '25' });
  if (q) apiQuery.set('q', q);
  if (role) apiQuery.set('role', role);
  if (status) apiQuery.set('status', status);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<Account>>(`/api/v1/admin/users?${apiQuery.toString()}`);

  return (
    <>
      <PageHeader
        title="Users"
        description="Search accounts by email, phone or name; change roles; suspend or reinstate."
      />
      <form role="search" action="/console/users" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="users-q" className="mb-1 block text-sm font-medium">
            Email, phone or name
          </label>
          <input id="users-q" name="q" type="search" defaultValue={q ?? ''} className={inputClass} />
        </div>
        <div>
          <label htmlFor="users-role" className="mb-1 block text-sm font-medium">
            Role
          </label>
          <select id="users-role" name="role" defaultValue={role ?? ''} className={inputClass}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="users-status" className="mb-1 block text-sm font-medium">
            Status
          </label>
          <select id="users-status" name="status" defaultValue={status ?? ''} className={inputClass}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Search
        </button>
      </form>
      {page.items.length === 0 ? (
        <EmptyState>No accounts match.</EmptyState>
      ) : (
        <ul className="divide-y divide-line rounded-xl border border-line bg-surface" aria-label="Accounts">
          {page.items.map((u) => (
            <li key={u.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3">
              <div className="min-w-0">
                <Link href={`/console/users/${u.id}`} className="font-semibold hover:text-gold hover:underline">
                  {u.displayName}
                </Link>
                <p className="truncate text-xs text-muted">{[u.email, u.phone].filter(Boolean).join(' · ')}</p>
              </div>
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
                <span>{u.roles.join(', ')}</span>
                <StatusBadge status={u.status} />
                <span>
                  joined <KampalaTime iso={u.createdAt} />
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager
        basePath="/console/users"
        params={{ q, role, status }}
        nextCursor={page.nextCursor}
        hasCursor={Boolean(cursor)}
      />
    </>
  );
}
