import Link from 'next/link';
import { ModerationActions } from '@/components/console/moderation-actions';
import { requirePermission } from '@/components/console/session';
import type { ModerationComment, Page } from '@/components/console/types';
import {
  EmptyState,
  FilterForm,
  FilterSelect,
  KampalaTime,
  listPath,
  PageHeader,
  Pager,
  param,
  StatusBadge,
} from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'Comments' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CommentsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('comments:moderate');
  const query = await searchParams;
  const status = (['visible', 'hidden'] as const).find((s) => s === param(query.status));
  // The queue: reported comments first unless the moderator asks for all.
  const reported = param(query.reported) === 'all' ? undefined : 'true';
  const cursor = param(query.cursor);
  const page = await serverApi<Page<ModerationComment>>(
    listPath('/api/v1/admin/comments', 20, { status, reported, cursor }),
  );

  return (
    <>
      <PageHeader title="Comments" description="The moderation queue: most reported first, then newest." />
      <FilterForm action="/console/comments" search={false} submitLabel="Filter">
        <FilterSelect
          id="comments-reported"
          name="reported"
          label="Show"
          defaultValue={reported ? '' : 'all'}
          options={[
            { value: '', label: 'Reported comments' },
            { value: 'all', label: 'All comments' },
          ]}
        />
        <FilterSelect
          id="comments-status"
          name="status"
          label="Status"
          defaultValue={status}
          options={[
            { value: '', label: 'Visible and hidden' },
            { value: 'visible', label: 'Visible' },
            { value: 'hidden', label: 'Hidden' },
          ]}
        />
      </FilterForm>
      {page.items.length === 0 ? (
        <EmptyState>{reported ? 'No open reports. The queue is clear.' : 'No comments match.'}</EmptyState>
      ) : (
        <ul className="grid gap-3" aria-label="Comments">
          {page.items.map((c) => (
            <li key={c.id} className="rounded-xl border border-line bg-surface p-4">
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
                <StatusBadge status={c.status} />
                {c.openReports > 0 ? (
                  <span className="font-semibold text-warn">
                    {c.openReports} open report{c.openReports === 1 ? '' : 's'}:{' '}
                    {c.reportReasons.join(', ').replace(/_/g, ' ')}
                  </span>
                ) : null}
                <span>
                  on{' '}
                  <Link href={`/console/titles/${c.title.id}`} className="underline hover:text-gold">
                    {c.title.name}
                  </Link>
                </span>
                <span>
                  by {c.author.profileName} ({c.author.displayName}) · <KampalaTime iso={c.createdAt} />
                  {c.editedAt ? ' · edited' : ''}
                </span>
              </div>
              {/* Plain text from viewers: React escapes it. */}
              <p className="my-3 break-words whitespace-pre-wrap">{c.body}</p>
              {c.hiddenReason ? <p className="mb-2 text-sm text-muted">Hidden because: {c.hiddenReason}</p> : null}
              <ModerationActions comment={c} />
            </li>
          ))}
        </ul>
      )}
      <Pager
        basePath="/console/comments"
        params={{ status, reported: reported ? undefined : 'all' }}
        nextCursor={page.nextCursor}
        hasCursor={Boolean(cursor)}
      />
    </>
  );
}
