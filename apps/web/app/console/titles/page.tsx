import Link from 'next/link';
import { TITLE_STATUSES } from '@kush/contracts';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import type { Page, StaffTitleSummary } from '@/components/console/types';
import { EmptyState, KampalaTime, PageHeader, Pager, StatusBadge, param } from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'Titles' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TitlesPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('catalog:manage');
  const query = await searchParams;
  const q = param(query.q);
  const statusParam = param(query.status);
  const status = TITLE_STATUSES.find((s) => s === statusParam);
  const cursor = param(query.cursor);
  const apiQuery = new URLSearchParams({ limit: '20' });
  if (q) apiQuery.set('q', q);
  if (status) apiQuery.set('status', status);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<StaffTitleSummary>>(`/api/v1/admin/titles?${apiQuery.toString()}`);

  return (
    <>
      <PageHeader
        title="Titles"
        description="Every film and series in any status, newest first."
        actions={
          <Link
            href="/console/titles/new"
            className="inline-flex min-h-11 items-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90"
          >
            New title
          </Link>
        }
      />
      <form role="search" action="/console/titles" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="titles-q" className="mb-1 block text-sm font-medium">
            Search by name
          </label>
          <input id="titles-q" name="q" type="search" defaultValue={q ?? ''} className={inputClass} />
        </div>
        <div>
          <label htmlFor="titles-status" className="mb-1 block text-sm font-medium">
            Status
          </label>
          <select id="titles-status" name="status" defaultValue={status ?? ''} className={inputClass}>
            <option value="">Any status</option>
            {TITLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Search
        </button>
      </form>

      {page.items.length === 0 ? (
        <EmptyState>{q || status ? 'No titles match.' : 'No titles yet. Create the first one.'}</EmptyState>
      ) : (
        <ul className="divide-y divide-line rounded-xl border border-line bg-surface" aria-label="Titles">
          {page.items.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3">
              <div className="min-w-0">
                <Link href={`/console/titles/${t.id}`} className="font-semibold hover:text-gold hover:underline">
                  {t.name}
                </Link>
                <p className="text-xs text-muted">
                  {t.kind === 'film' ? 'Film' : 'Series'}
                  {t.year ? ` · ${t.year}` : ''} · {t.accessTier} · rated {t.maturityRating}
                  {t.featured ? ' · featured' : ''}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
                <StatusBadge status={t.status} />
                {t.status === 'scheduled' && t.publishAt ? (
                  <span>
                    goes live <KampalaTime iso={t.publishAt} />
                  </span>
                ) : (
                  <span>
                    updated <KampalaTime iso={t.updatedAt} />
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager
        basePath="/console/titles"
        params={{ q, status }}
        nextCursor={page.nextCursor}
        hasCursor={Boolean(cursor)}
      />
    </>
  );
}
