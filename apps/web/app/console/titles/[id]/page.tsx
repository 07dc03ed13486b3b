import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ImageUpload } from '@/components/console/image-upload';
import { loadCategories, loadGenres, loadLanguages } from '@/components/console/reference-data';
import { SeasonsEditor } from '@/components/console/seasons-editor';
import { can, requirePermission } from '@/components/console/session';
import { TitleForm } from '@/components/console/title-form';
import { TitleStatusActions } from '@/components/console/title-status';
import type { StaffTitle } from '@/components/console/types';
import { KampalaTime, PageHeader, Panel, StatusBadge, isUuid } from '@/components/console/ui';
import { VideoSlot } from '@/components/console/video-slot';
import { serverApiOrNull } from '@/lib/api/server';

export const metadata = { title: 'Edit title' };

export default async function EditTitlePage({ params }: { params: Promise<{ id: string }> }) {
  const account = await requirePermission('catalog:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const [title, genres, languages, categories] = await Promise.all([
    serverApiOrNull<StaffTitle>(`/api/v1/admin/titles/${id}`),
    loadGenres(),
    loadLanguages(),
    loadCategories(),
  ]);
  if (!title) notFound();
  const uploads = can(account, 'uploads:manage');

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/titles" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All titles
        </Link>
      </p>
      <PageHeader
        title={title.name}
        description={`${title.kind === 'film' ? 'Film' : 'Series'} · /${title.slug}`}
        actions={<StatusBadge status={title.status} />}
      />
      <div className="grid gap-6">
        <Panel title="Publishing" id="publishing">
          <p className="mb-3 text-sm text-muted">
            {title.status === 'scheduled' && title.publishAt ? (
              <>
                Goes live <KampalaTime iso={title.publishAt} />.
              </>
            ) : title.publishedAt ? (
              <>
                Published <KampalaTime iso={title.publishedAt} />.
              </>
            ) : (
              'Not published.'
            )}{' '}
            Last changed <KampalaTime iso={title.updatedAt} />.
          </p>
          <TitleStatusActions title={title} />
        </Panel>

        {uploads ? (
          <Panel title="Videos" id="videos">
            <div className="grid gap-6 lg:grid-cols-2">
              {title.kind === 'film' ? (
                <VideoSlot
                  label="Feature video"
                  purpose="feature"
                  videoId={title.videoId}
                  attachPath={`/v1/admin/titles/${title.id}`}
                  attachField="videoId"
                  slot={`title:${title.id}:feature`}
                  languages={languages}
                />
              ) : null}
              <VideoSlot
                label="Trailer"
                purpose="trailer"
                videoId={title.trailerVideoId}
                attachPath={`/v1/admin/titles/${title.id}`}
                attachField="trailerVideoId"
                slot={`title:${title.id}:trailer`}
                languages={languages}
              />
            </div>
          </Panel>
        ) : null}

        <Panel title="Artwork" id="artwork">
          <div className="grid gap-6 sm:grid-cols-2">
            <ImageUpload
              label="Poster"
              path={`/v1/admin/titles/${title.id}/images/poster`}
              image={title.poster}
              aspect="2/3"
            />
            <ImageUpload
              label="Backdrop"
              path={`/v1/admin/titles/${title.id}/images/backdrop`}
              image={title.backdrop}
              aspect="16/9"
            />
          </div>
        </Panel>

        {title.kind === 'series' ? (
          <Panel title="Seasons and episodes" id="seasons">
            <SeasonsEditor titleId={title.id} seasons={title.seasons} languages={languages} />
          </Panel>
        ) : null}

        <Panel title="Details" id="details">
          <TitleForm title={title} genres={genres} languages={languages} categories={categories} />
        </Panel>
      </div>
    </>
  );
}
