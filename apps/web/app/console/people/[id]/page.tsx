import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ImageUpload } from '@/components/console/image-upload';
import { DeletePerson, PersonForm } from '@/components/console/person-form';
import { requirePermission } from '@/components/console/session';
import type { StaffPerson } from '@/components/console/types';
import { PageHeader, Panel, isUuid } from '@/components/console/ui';
import { serverApiOrNull } from '@/lib/api/server';

export const metadata = { title: 'Person' };

export default async function PersonPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission('catalog:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const person = await serverApiOrNull<StaffPerson>(`/api/v1/admin/people/${id}`);
  if (!person) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/people" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All people
        </Link>
      </p>
      <PageHeader title={person.name} description={`/${person.slug}`} />
      <div className="grid gap-6 md:grid-cols-[16rem_minmax(0,1fr)]">
        <Panel title="Photo" id="photo">
          <ImageUpload
            label="Photo"
            path={`/v1/admin/people/${person.id}/images/photo`}
            image={person.photo}
            aspect="1/1"
          />
        </Panel>
        <Panel title="Details" id="details">
          <PersonForm person={person} />
          <div className="mt-6 border-t border-line pt-4">
            <DeletePerson person={person} />
          </div>
        </Panel>
      </div>
    </>
  );
}
