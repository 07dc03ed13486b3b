import type { PersonPage } from '@/lib/types';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ResponsiveImage } from '@/components/responsive-image';
import { TitleCard, TitleGrid } from '@/components/title-card';
import { ROLE_LABEL } from '@/lib/credit-roles';
import { getDictionary } from '@/lib/i18n/server';
import { catalogApi } from '@/lib/session';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const person = await catalogApi<PersonPage>(`/api/v1/catalog/people/${slug}`, `/person/${slug}`).catch(() => null);
  return { title: person?.name ?? 'Not found' };
}

export default async function PersonRoute({ params }: Props) {
  const { slug } = await params;
  const { t } = await getDictionary();
  const person = await catalogApi<PersonPage>(`/api/v1/catalog/people/${slug}`, `/person/${slug}`);
  if (!person) notFound();

  return (
    <div>
      <div className="flex items-center gap-4">
        {person.photo ? (
          <ResponsiveImage
            image={person.photo}
            alt=""
            sizes="96px"
            priority
            className="size-24 shrink-0 rounded-full object-cover"
          />
        ) : null}
        <h1 className="text-3xl font-black tracking-tight">{person.name}</h1>
      </div>
      {person.bio ? <p className="mt-4 max-w-prose whitespace-pre-line">{person.bio}</p> : null}
      <h2 className="mt-8 text-xl font-semibold">{t.personFilmography}</h2>
      <TitleGrid>
        {person.credits.map((credit) => (
          <TitleCard
            key={`${credit.title.id}-${credit.role}`}
            title={credit.title}
            t={t}
            footer={
              <p className="text-xs text-muted">
                {t[ROLE_LABEL[credit.role]]}
                {credit.character ? ` · ${credit.character}` : ''}
              </p>
            }
          />
        ))}
      </TitleGrid>
    </div>
  );
}
