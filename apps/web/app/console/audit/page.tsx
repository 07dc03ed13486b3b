import { AuditDiff } from '@/components/console/audit-diff';
import { requirePermission } from '@/components/console/session';
import type { AuditEntry, Page } from '@/components/console/types';
import {
  EmptyState,
  FilterForm,
  FilterInput,
  isUuid,
  KampalaTime,
  listPath,
  PageHeader,
  Pager,
  param,
} from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('audit:read');
  const query = await searchParams;
  const entityType = param(query.entityType)?.trim().toLowerCase();
  const entityId = param(query.entityId)?.trim();
  const actorParam = param(query.actorId)?.trim();
  const actorId = actorParam && isUuid(actorParam) ? actorParam : undefined;
  const cursor = param(query.cursor);
  const page = await serverApi<Page<AuditEntry>>(
    listPath('/api/v1/admin/audit', 25, {
      entityType: entityType && /^[a-z][a-z_]{0,39}$/.test(entityType) ? entityType : undefined,
      entityId,
      actorId,
      cursor,
    }),
  );

  return (
    <>
      <PageHeader title="Audit log" description="Who changed what and when, newest first. Times in Kampala (EAT)." />
      <FilterForm
        action="/console/audit"
        search={false}
        submitLabel="Filter"
        className="mb-4 grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
      >
        <FilterInput
          id="audit-type"
          name="entityType"
          label="Entity type"
          placeholder="title, user, category…"
          defaultValue={entityType}
        />
        <FilterInput id="audit-entity" name="entityId" label="Entity id" defaultValue={entityId} />
        <FilterInput id="audit-actor" name="actorId" label="Actor id" defaultValue={actorParam} />
      </FilterForm>
      {actorParam && !actorId ? (
        <p className="mb-3 text-sm text-down">The actor id must be an account id (a UUID).</p>
      ) : null}
      {page.items.length === 0 ? (
        <EmptyState>No entries match.</EmptyState>
      ) : (
        <ol className="grid gap-3" aria-label="Audit entries">
          {page.items.map((e) => (
            <li key={e.id} className="rounded-xl border border-line bg-surface p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-semibold">
                  <span className="font-mono text-sm text-gold">{e.action}</span>{' '}
                  <span className="text-sm text-muted">
                    {e.entityType} <span className="break-all">{e.entityId}</span>
                  </span>
                </p>
                <p className="text-xs text-muted">
                  <KampalaTime iso={e.createdAt} />
                </p>
              </div>
              <p className="mt-1 text-sm text-muted">
                by {e.actor ? `${e.actor.displayName}${e.actor.email ? ` <${e.actor.email}>` : ''}` : 'the system'}
                {e.ip ? ` · ${e.ip}` : ''}
                {e.requestId ? ` · request ${e.requestId}` : ''}
              </p>
              <div className="mt-2">
                <AuditDiff before={e.before} after={e.after} />
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pager
        basePath="/console/audit"
        params={{ entityType, entityId, actorId }}
        nextCursor={page.nextCursor}
        hasCursor={Boolean(cursor)}
      />
    </>
  );
}
