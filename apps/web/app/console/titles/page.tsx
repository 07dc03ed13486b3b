import Link from 'next/link';
import { TITLE_STATUSES } from '@kush/contracts';
import { requirePermission } from '@/components/console/session';
import type { Page, StaffTitleSummary } from '@/components/console/types';
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

export const metadata = { title: 'Titles' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TitlesPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('catalog:manage');
  const query = await searchParams;
  const q = param(query.q);
  const statusParam = param(query.status);
  const status = TITLE_STATUSES.find((s) => s === statusParam);
  const cursor = param(query.cursor);
  const page = await serverApi<Page<StaffTitleSummary>>(listPath('/api/v1/admin/titles', 20, { q, status, cursor }));

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
      <FilterForm action="/console/titles">
        <FilterInput
          id="titles-q"
          name="q"
          type="search"
          label="Search by name"
          defaultValue={q}
          className="min-w-48 flex-1"
        />
        <FilterSelect
          id="titles-status"
          name="status"
          label="Status"
          defaultValue={status}
          options={[
            { value: '', label: 'Any status' },
            ...TITLE_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })),
          ]}
        />
      </FilterForm>

      {page.items.length === 0 ? (
        <EmptyState>{q || status ? 'No titles match.' : 'No titles yet. Create the first one.'}</EmptyState>
      ) : (
        <RowList label="Titles">
          {page.items.map((t) => (
            <Row key={t.id}>
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
            </Row>
          ))}
        </RowList>
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
