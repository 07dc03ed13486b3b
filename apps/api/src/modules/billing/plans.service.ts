import { AppError, type Plan } from '@kush/contracts';
import { type Database, type Executor, isUniqueViolation, uuidv7 } from '@kush/db';
import { recordAudit } from '../audit/audit.repository';
import * as repo from './billing.repository';

export function toPlan(row: repo.PlanRow): Plan {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    interval: row.interval,
    prices: row.prices,
    grants: {
      premiumCatalog: row.premiumCatalog,
      adFree: row.adFree,
      downloads: row.downloads,
      maxQuality: row.maxQuality as Plan['grants']['maxQuality'],
      maxStreams: row.maxStreams,
    },
    active: row.active,
    sortOrder: row.sortOrder,
  };
}

type PlanInput = {
  code: string;
  name: string;
  description?: string;
  interval: Plan['interval'];
  prices: Partial<Record<string, number>>;
  grants: Plan['grants'];
  active?: boolean;
  sortOrder?: number;
};

const columnsOf = (input: Partial<Omit<PlanInput, 'code' | 'interval'>>) => ({
  ...(input.name !== undefined && { name: input.name }),
  ...(input.description !== undefined && { description: input.description }),
  ...(input.prices !== undefined && { prices: input.prices as Record<string, number> }),
  ...(input.grants && {
    premiumCatalog: input.grants.premiumCatalog,
    adFree: input.grants.adFree,
    downloads: input.grants.downloads,
    maxQuality: input.grants.maxQuality,
    maxStreams: input.grants.maxStreams,
  }),
  ...(input.active !== undefined && { active: input.active }),
  ...(input.sortOrder !== undefined && { sortOrder: input.sortOrder }),
});

/** The plans `npm start` offers on an empty platform. Prices: UGX whole shillings, USD cents. */
export const SEED_PLANS: PlanInput[] = [
  {
    code: 'free',
    name: 'Free',
    description: 'The free catalog, with ads.',
    interval: 'month',
    prices: {},
    grants: { premiumCatalog: false, adFree: false, downloads: false, maxQuality: 720, maxStreams: 1 },
    sortOrder: 0,
  },
  {
    code: 'premium-week',
    name: 'Premium Week',
    description: 'Every title, no ads, downloads, for 7 days.',
    interval: 'week',
    prices: { UGX: 5_000 },
    grants: { premiumCatalog: true, adFree: true, downloads: true, maxQuality: 1080, maxStreams: 2 },
    sortOrder: 10,
  },
  {
    code: 'premium-month',
    name: 'Premium Month',
    description: 'Every title, no ads, downloads, for a month.',
    interval: 'month',
    prices: { UGX: 15_000, USD: 399 },
    grants: { premiumCatalog: true, adFree: true, downloads: true, maxQuality: 1080, maxStreams: 2 },
    sortOrder: 20,
  },
  {
    code: 'premium-year',
    name: 'Premium Year',
    description: 'Every title, no ads, downloads, for a year: two months free.',
    interval: 'year',
    prices: { UGX: 150_000, USD: 3_990 },
    grants: { premiumCatalog: true, adFree: true, downloads: true, maxQuality: 1080, maxStreams: 3 },
    sortOrder: 30,
  },
];

/** Idempotent: adds the seed plans that are missing, never changes a plan staff have edited. */
export async function seedPlans(db: Executor): Promise<string[]> {
  const report: string[] = [];
  for (const plan of SEED_PLANS) {
    const inserted = await repo.insertPlan(db, {
      id: uuidv7(),
      code: plan.code,
      interval: plan.interval,
      name: plan.name,
      ...columnsOf(plan),
    });
    if (inserted) report.push(`plan ${plan.code} created`);
  }
  if (!report.length) report.push('plans present');
  return report;
}

/** A plan on sale needs a price (the free plan has none); a refusal names the field. */
function checkPrices(code: string, prices: Partial<Record<string, number>> | undefined): void {
  if (prices === undefined) return;
  const priced = Object.values(prices).some((amount) => amount !== undefined);
  if (code === 'free' && priced) {
    throw new AppError('VALIDATION_FAILED', 'The free plan has no price.', [
      { in: 'body', path: 'prices', message: 'must be empty for the free plan' },
    ]);
  }
  if (code !== 'free' && !priced) {
    throw new AppError('VALIDATION_FAILED', 'A plan needs a price in UGX or USD.', [
      { in: 'body', path: 'prices', message: 'must have at least one currency' },
    ]);
  }
}

/** Staff (finance) define what is sold. Changes are audited; existing subscriptions keep their grants. */
export class PlansService {
  constructor(private readonly db: Database) {}

  async list(activeOnly: boolean): Promise<Plan[]> {
    return (await repo.listPlans(this.db, activeOnly)).map(toPlan);
  }

  async create(actorId: string, input: PlanInput): Promise<Plan> {
    checkPrices(input.code, input.prices);
    try {
      return await this.db.transaction(async (tx) => {
        const row = await repo.insertPlan(tx, {
          id: uuidv7(),
          code: input.code,
          interval: input.interval,
          name: input.name,
          ...columnsOf(input),
        });
        if (!row) throw new AppError('CONFLICT', 'A plan with this code already exists.', { field: 'code' });
        await recordAudit(tx, { actorId, action: 'plan.create', entityType: 'plan', entityId: row.id, after: row });
        return toPlan(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'A plan with this code already exists.');
      throw err;
    }
  }

  async update(actorId: string, id: string, input: Partial<Omit<PlanInput, 'code' | 'interval'>>): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const before = await repo.findPlan(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such plan.');
      checkPrices(before.code, input.prices);
      const row = await repo.updatePlan(tx, id, columnsOf(input));
      await recordAudit(tx, { actorId, action: 'plan.update', entityType: 'plan', entityId: id, before, after: row });
      return toPlan(row!);
    });
  }
}
