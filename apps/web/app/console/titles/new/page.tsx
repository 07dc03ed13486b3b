import { loadGenres, loadLanguages } from '@/components/console/reference-data';
import { requirePermission } from '@/components/console/session';
import { TitleForm } from '@/components/console/title-form';
import { PageHeader, Panel } from '@/components/console/ui';

export const metadata = { title: 'New title' };

export default async function NewTitlePage() {
  await requirePermission('catalog:manage');
  const [genres, languages] = await Promise.all([loadGenres(), loadLanguages()]);
  return (
    <>
      <PageHeader
        title="New title"
        description="A new title starts as a draft. Add its artwork, video and episodes next, then publish it."
      />
      <Panel title="Details">
        <TitleForm genres={genres} languages={languages} />
      </Panel>
    </>
  );
}
