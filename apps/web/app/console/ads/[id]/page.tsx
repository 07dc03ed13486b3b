import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BannerCreativeForm } from '@/components/console/ads/banner-creative-form';
import { CampaignForm } from '@/components/console/ads/campaign-form';
import { CampaignStatusActions } from '@/components/console/ads/campaign-status';
import { CreativeList } from '@/components/console/ads/creative-list';
import { loadCampaignReport, loadCategorySlugs } from '@/components/console/ads/data';
import { budgetLabel, SCHEDULE_LABEL, scheduleOf } from '@/components/console/ads/format';
import { BudgetProgress } from '@/components/console/ads/report-parts';
import type { AdCampaign, AdCreative } from '@/components/console/ads/types';
import { VideoCreativeForm } from '@/components/console/ads/video-creative-form';
import { secondaryButtonClass } from '@/components/console/form-classes';
import { loadGenres, loadLanguages } from '@/components/console/reference-data';
import { requirePermission } from '@/components/console/session';
import { KampalaTime, PageHeader, Panel, StatusBadge, isUuid } from '@/components/console/ui';
import { formatUgx } from '@/lib/format';
import { serverApi, serverApiOrNull } from '@/lib/api/server';

export const metadata = { title: 'Campaign' };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission('ads:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const campaign = await serverApiOrNull<AdCampaign>(`/api/v1/admin/ads/campaigns/${id}`);
  if (!campaign) notFound();
  const [creatives, delivery, genres, languages, categories] = await Promise.all([
    serverApi<{ items: AdCreative[] }>(`/api/v1/admin/ads/campaigns/${id}/creatives`),
    loadCampaignReport(id),
    loadGenres(),
    loadLanguages(),
    loadCategorySlugs(),
  ]);
  const schedule = scheduleOf(campaign);
  const serving = creatives.items.filter((c) => c.status === 'active').length;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/ads" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All campaigns
        </Link>
      </p>
      <PageHeader
        title={campaign.name}
        description={`${campaign.advertiser} · ${budgetLabel(campaign)} at ${formatUgx(campaign.cpm)} CPM · priority ${campaign.priority}`}
        actions={
          <>
            <StatusBadge status={campaign.status} />
            <Link href={`/console/ads/${campaign.id}/report`} className={secondaryButtonClass}>
              Delivery report
            </Link>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        <Panel title="Status and delivery" id="status">
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <div className="grid content-start gap-2 text-sm">
              <p>
                <KampalaTime iso={campaign.startsAt} /> → <KampalaTime iso={campaign.endsAt} />
                {campaign.status === 'active' ? ` · ${SCHEDULE_LABEL[schedule]}` : ''}
              </p>
              <p className="text-muted" data-serving-creatives={serving}>
                {serving === 0
                  ? 'No active creative: nothing serves until one is added or activated.'
                  : `${serving} active creative${serving === 1 ? '' : 's'}.`}
              </p>
              {delivery.report ? (
                <BudgetProgress report={delivery.report} />
              ) : (
                <p className="text-muted">Delivery unavailable: {delivery.problem}</p>
              )}
            </div>
            <CampaignStatusActions campaign={campaign} />
          </div>
        </Panel>

        <Panel title="Creatives" id="creatives">
          <div className="grid grid-cols-1 gap-6">
            <CreativeList campaignId={campaign.id} creatives={creatives.items} />
            <section
              aria-labelledby="add-video-heading"
              className="grid grid-cols-1 gap-3 rounded-lg border border-line p-3 sm:p-4"
            >
              <h3 id="add-video-heading" className="font-semibold">
                Add a video pre-roll
              </h3>
              <VideoCreativeForm campaignId={campaign.id} />
            </section>
            <section
              aria-labelledby="add-banner-heading"
              className="grid grid-cols-1 gap-3 rounded-lg border border-line p-3 sm:p-4"
            >
              <h3 id="add-banner-heading" className="font-semibold">
                Add a banner
              </h3>
              <BannerCreativeForm campaignId={campaign.id} />
            </section>
          </div>
        </Panel>

        <Panel title="Details" id="details">
          <CampaignForm
            campaign={campaign}
            genres={genres}
            languages={languages}
            categories={categories}
            now={campaign.updatedAt}
          />
        </Panel>
      </div>
    </>
  );
}
