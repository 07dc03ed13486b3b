/** The ad server's shapes as the console uses them, inferred from @kush/contracts (types only: no zod in the bundle). */
import type {
  AdVideoUploadBody,
  Campaign,
  CampaignReport,
  CreatedCreative,
  Creative,
  InventoryReport,
} from '@kush/contracts';
import type { z } from 'zod';

export type AdCampaign = Campaign;
export type AdCreative = z.infer<typeof Creative>;
export type AdCreatedCreative = z.infer<typeof CreatedCreative>;
export type AdCampaignReport = z.infer<typeof CampaignReport>;
export type AdReportDay = AdCampaignReport['days'][number];
export type AdInventoryReport = z.infer<typeof InventoryReport>;
export type AdVideoUploadRequest = z.infer<typeof AdVideoUploadBody>;
export type CampaignStatus = AdCampaign['status'];
