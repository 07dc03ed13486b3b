import Link from 'next/link';
import { ROLES } from '@kush/contracts';
import { requirePermission } from '@/components/console/session';
import type { Account, Page } from '@/components/console/types';
import {
  EmptyState,
  FilterForm,
  FilterInput,
  FilterSelect,
  KampalaTime,
  listPath,
  PageHeader,
  Pager,
  param,
  Row,
  RowList,
  StatusBadge,
} from '@/components/console/ui';
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
  const page = await serverApi<Page<Account>>(listPath('/api/v1/admin/users', 25, { q, role, status, cursor }));

  return (
    <>
      <PageHeader
        title="Users"
        description="Search accounts by email, phone or name; change roles; suspend or reinstate."
      />
      <FilterForm action="/console/users">
        <FilterInput
          id="users-q"
          name="q"
          type="search"
          label="Email, phone or name"
          defaultValue={q}
          className="min-w-48 flex-1"
        />
        <FilterSelect
          id="users-role"
          name="role"
          label="Role"
          defaultValue={role}
          options={[{ value: '', label: 'Any role' }, ...ROLES.map((r) => ({ value: r, label: r.replace('_', ' ') }))]}
        />
        <FilterSelect
          id="users-status"
          name="status"
          label="Status"
          defaultValue={status}
          options={[{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: s }))]}
        />
      </FilterForm>
      {page.items.length === 0 ? (
        <EmptyState>No accounts match.</EmptyState>
      ) : (
        <RowList label="Accounts">
          {page.items.map((u) => (
            <Row key={u.id}>
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
            </Row>
          ))}
        </RowList>
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
