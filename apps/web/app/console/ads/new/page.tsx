import Link from 'next/link';
import { CampaignForm } from '@/components/console/ads/campaign-form';
import { loadCategorySlugs } from '@/components/console/ads/data';
import { loadGenres, loadLanguages } from '@/components/console/reference-data';
import { requirePermission } from '@/components/console/session';
import { PageHeader, Panel } from '@/components/console/ui';

export const metadata = { title: 'New campaign' };

export default async function NewCampaignPage() {
  await requirePermission('ads:manage');
  const [genres, languages, categories] = await Promise.all([loadGenres(), loadLanguages(), loadCategorySlugs()]);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/ads" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All campaigns
        </Link>
      </p>
      <PageHeader
        title="New campaign"
        description="A campaign serves between its dates once it has an active creative. Add pre-rolls and banners next."
      />
      <Panel title="Details">
        <CampaignForm genres={genres} languages={languages} categories={categories} now={new Date().toISOString()} />
      </Panel>
    </>
  );
}
