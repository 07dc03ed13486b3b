import Link from 'next/link';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { ModerationActions } from '@/components/console/moderation-actions';
import { requirePermission } from '@/components/console/session';
import type { ModerationComment, Page } from '@/components/console/types';
import { EmptyState, KampalaTime, PageHeader, Pager, StatusBadge, param } from '@/components/console/ui';
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
  const apiQuery = new URLSearchParams({ limit: '20' });
  if (status) apiQuery.set('status', status);
  if (reported) apiQuery.set('reported', reported);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<ModerationComment>>(`/api/v1/admin/comments?${apiQuery.toString()}`);

  return (
    <>
      <PageHeader title="Comments" description="The moderation queue: most reported first, then newest." />
      <form action="/console/comments" className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="comments-reported" className="mb-1 block text-sm font-medium">
            Show
          </label>
          <select id="comments-reported" name="reported" defaultValue={reported ? '' : 'all'} className={inputClass}>
            <option value="">Reported comments</option>
            <option value="all">All comments</option>
          </select>
        </div>
        <div>
          <label htmlFor="comments-status" className="mb-1 block text-sm font-medium">
            Status
          </label>
          <select id="comments-status" name="status" defaultValue={status ?? ''} className={inputClass}>
            <option value="">Visible and hidden</option>
            <option value="visible">Visible</option>
            <option value="hidden">Hidden</option>
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Filter
        </button>
      </form>
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
