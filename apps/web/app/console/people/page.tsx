import Link from 'next/link';
import { PersonForm } from '@/components/console/person-form';
import { requirePermission } from '@/components/console/session';
import type { Page, StaffPerson } from '@/components/console/types';
import {
  EmptyState,
  FilterForm,
  FilterInput,
  listPath,
  PageHeader,
  Pager,
  Panel,
  param,
} from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'People' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('catalog:manage');
  const query = await searchParams;
  const q = param(query.q);
  const cursor = param(query.cursor);
  const page = await serverApi<Page<StaffPerson>>(listPath('/api/v1/admin/people', 30, { q, cursor }));
  return (
    <>
      <PageHeader title="People" description="Cast and crew. Credits are set on each title." />
      <FilterForm action="/console/people">
        <FilterInput
          id="people-q"
          name="q"
          type="search"
          label="Search by name"
          defaultValue={q}
          className="min-w-48 flex-1"
        />
      </FilterForm>
      {page.items.length === 0 ? (
        <EmptyState>{q ? 'Nobody matches.' : 'No people yet.'}</EmptyState>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2" aria-label="People">
          {page.items.map((p) => {
            const photo = p.photo?.sources.jpeg[0]?.url;
            return (
              <li key={p.id}>
                <Link
                  href={`/console/people/${p.id}`}
                  className="flex items-center gap-3 rounded-lg border border-line bg-surface p-2 hover:border-gold"
                >
                  {photo ? (
                    <img src={photo} alt="" width={40} height={40} className="size-10 rounded-full object-cover" />
                  ) : (
                    <span
                      aria-hidden="true"
                      className="flex size-10 items-center justify-center rounded-full bg-surface-raised text-muted"
                    >
                      {p.name.charAt(0)}
                    </span>
                  )}
                  <span className="min-w-0 truncate font-semibold">{p.name}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      <Pager basePath="/console/people" params={{ q }} nextCursor={page.nextCursor} hasCursor={Boolean(cursor)} />
      <div className="mt-6">
        <Panel title="Add a person" id="new-person">
          <PersonForm />
        </Panel>
      </div>
    </>
  );
}
