import type { Metadata } from 'next';
import { ActionButton } from '@/components/action-button';
import { queryOf } from '@/components/browse';
import { TitleCard, TitleGrid } from '@/components/title-card';
import { getDictionary } from '@/lib/i18n/server';
import { one } from '@/lib/links';
import { profileApi, requireProfile } from '@/lib/session';
import type { MyListPage } from '@/lib/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My List' };

export default async function MyListRoute({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const cursor = one((await searchParams).cursor);
  const here = `/my-list${queryOf({ cursor })}`;
  const { profile } = await requireProfile(here);
  const { t } = await getDictionary();
  const page = await profileApi<MyListPage>(
    `/api/v1/profiles/${profile.id}/list${queryOf({ cursor, limit: '30' })}`,
    here,
  );

  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.myListHeading}</h1>
      {page.items.length === 0 ? <p className="mt-6 text-muted">{t.myListEmpty}</p> : null}
      <TitleGrid>
        {page.items.map((item) => (
          <TitleCard
            key={item.title.id}
            title={item.title}
            t={t}
            footer={
              <div className="mt-1">
                <ActionButton
                  path={`/v1/profiles/${profile.id}/list/${item.title.id}`}
                  method="DELETE"
                  label={t.remove}
                  errorText={t.errorGeneric}
                />
              </div>
            }
          />
        ))}
      </TitleGrid>
      {page.nextCursor ? (
        <div className="mt-8 text-center">
          <a
            href={`/my-list${queryOf({ cursor: page.nextCursor })}`}
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
