import Link from 'next/link';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { PersonForm } from '@/components/console/person-form';
import { requirePermission } from '@/components/console/session';
import type { Page, StaffPerson } from '@/components/console/types';
import { EmptyState, PageHeader, Pager, Panel, param } from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'People' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('catalog:manage');
  const query = await searchParams;
  const q = param(query.q);
  const cursor = param(query.cursor);
  const apiQuery = new URLSearchParams({ limit: '30' });
  if (q) apiQuery.set('q', q);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<StaffPerson>>(`/api/v1/admin/people?${apiQuery.toString()}`);
  return (
    <>
      <PageHeader title="People" description="Cast and crew. Credits are set on each title." />
      <form role="search" action="/console/people" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="people-q" className="mb-1 block text-sm font-medium">
            Search by name
          </label>
          <input id="people-q" name="q" type="search" defaultValue={q ?? ''} className={inputClass} />
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Search
        </button>
      </form>
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
                  <span className="min-w-0 truncate font-medium">{p.name}</span>
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
