import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/components/console/session';
import type { Account } from '@/components/console/types';
import { KampalaTime, PageHeader, Panel, StatusBadge, isUuid } from '@/components/console/ui';
import { RolesForm, SuspensionForm } from '@/components/console/user-admin';
import { serverApiOrNull } from '@/lib/api/server';

export const metadata = { title: 'Account' };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requirePermission('users:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const account = await serverApiOrNull<Account>(`/api/v1/admin/users/${id}`);
  if (!account) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/users" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All users
        </Link>
      </p>
      <PageHeader title={account.displayName} actions={<StatusBadge status={account.status} />} />
      <div className="grid gap-6">
        <Panel title="Account" id="account">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-muted">Email</dt>
            <dd>
              {account.email ?? '—'} {account.email ? (account.emailVerified ? '(verified)' : '(not verified)') : ''}
            </dd>
            <dt className="text-muted">Phone</dt>
            <dd>{account.phone ?? '—'}</dd>
            <dt className="text-muted">Joined</dt>
            <dd>
              <KampalaTime iso={account.createdAt} />
            </dd>
            <dt className="text-muted">Audit trail</dt>
            <dd>
              <Link
                href={`/console/audit?entityType=user&entityId=${account.id}`}
                className="underline hover:text-gold"
              >
                Changes to this account
              </Link>
            </dd>
          </dl>
        </Panel>
        <Panel title="Roles" id="roles">
          {account.id === me.id ? (
            <p className="mb-3 text-sm text-warn">
              This is your own account: removing your admin role locks you out of this page.
            </p>
          ) : null}
          <RolesForm account={account} />
        </Panel>
        <Panel title={account.status === 'active' ? 'Suspend' : 'Suspended'} id="suspension">
          <SuspensionForm account={account} />
        </Panel>
      </div>
    </>
  );
}
