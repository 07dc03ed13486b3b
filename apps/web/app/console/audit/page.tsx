import { AuditDiff } from '@/components/console/audit-diff';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import type { AuditEntry, Page } from '@/components/console/types';
import { EmptyState, KampalaTime, PageHeader, Pager, isUuid, param } from '@/components/console/ui';
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
  const apiQuery = new URLSearchParams({ limit: '25' });
  if (entityType && /^[a-z][a-z_]{0,39}$/.test(entityType)) apiQuery.set('entityType', entityType);
  if (entityId) apiQuery.set('entityId', entityId);
  if (actorId) apiQuery.set('actorId', actorId);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<AuditEntry>>(`/api/v1/admin/audit?${apiQuery.toString()}`);

  return (
    <>
      <PageHeader title="Audit log" description="Who changed what and when, newest first. Times in Kampala (EAT)." />
      <form action="/console/audit" className="mb-4 grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end">
        <div>
          <label htmlFor="audit-type" className="mb-1 block text-sm font-medium">
            Entity type
          </label>
          <input
            id="audit-type"
            name="entityType"
            placeholder="title, user, category…"
            defaultValue={entityType ?? ''}
            className={inputClass}
          />
        </div>
        <div>
          <label htmlFor="audit-entity" className="mb-1 block text-sm font-medium">
            Entity id
          </label>
          <input id="audit-entity" name="entityId" defaultValue={entityId ?? ''} className={inputClass} />
        </div>
        <div>
          <label htmlFor="audit-actor" className="mb-1 block text-sm font-medium">
            Actor id
          </label>
          <input id="audit-actor" name="actorId" defaultValue={actorParam ?? ''} className={inputClass} />
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Filter
        </button>
      </form>
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
