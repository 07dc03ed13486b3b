import type { Metadata } from 'next';
import { ActionButton } from '@/components/action-button';
import { queryOf } from '@/components/browse';
import { formatKampalaDate } from '@/lib/format';
import { getDictionary } from '@/lib/i18n/server';
import { one, safeNext } from '@/lib/links';
import { profileApi, requireProfile } from '@/lib/session';
import type { NotificationPage } from '@/lib/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsRoute({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string | string[] }>;
}) {
  const cursor = one((await searchParams).cursor);
  const here = `/notifications${queryOf({ cursor })}`;
  const { profile } = await requireProfile(here);
  const { locale, t } = await getDictionary();
  const base = `/v1/profiles/${profile.id}/notifications`;
  const page = await profileApi<NotificationPage>(`/api${base}${queryOf({ cursor, limit: '30' })}`, here);

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tight">{t.notificationsHeading}</h1>
        {page.unreadCount > 0 ? (
          <ActionButton path={`${base}/read-all`} label={t.markAllRead} errorText={t.errorGeneric} />
        ) : null}
      </div>
      {page.items.length === 0 ? <p className="mt-6 text-muted">{t.notificationsEmpty}</p> : null}
      <ul className="mt-6 flex flex-col gap-3">
        {page.items.map((n) => (
          <li
            key={n.id}
            data-read={n.read}
            className={`rounded-xl border p-4 ${n.read ? 'border-line' : 'border-gold/60 bg-surface'}`}
          >
            <p className="font-semibold">
              {n.read ? null : (
                <span aria-hidden="true" className="mr-2 inline-block size-2 rounded-full bg-gold align-middle" />
              )}
              {n.subject}
            </p>
            <p className="mt-1 text-sm whitespace-pre-line text-fg/90">{n.body}</p>
            <div className="mt-2 flex flex-wrap items-center gap-3 text-sm text-muted">
              <time dateTime={n.createdAt}>{formatKampalaDate(n.createdAt, locale)}</time>
              {n.url ? (
                <a href={safeNext(n.url)} className="text-gold underline underline-offset-4">
                  {t.open}
                </a>
              ) : null}
              {n.read ? null : (
                <ActionButton path={`${base}/${n.id}/read`} label={t.markRead} errorText={t.errorGeneric} />
              )}
            </div>
          </li>
        ))}
      </ul>
      {page.nextCursor ? (
        <div className="mt-8 text-center">
          <a
            href={`/notifications${queryOf({ cursor: page.nextCursor })}`}
            rel="next"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-6 font-semibold hover:border-gold"
          >
            {t.loadMore}
          </a>
        </div>
      ) : null}
    </div>
  );
}
