import fs from 'node:fs/promises';
import type { AppContext } from './context';
import { ensureAdmin } from './modules/accounts/admin-bootstrap';
import { seedCatalogReference } from './modules/catalog/reference-data';
import { seedPlans } from './modules/billing/plans.service';

export { seedCatalogReference, seedPlans };

/**
 * Idempotent seed: makes sure the platform has what it needs to be used: the admin account and the
 * catalog's languages, genres and home categories. Returns what it did, line by line.
 */
export async function seed(ctx: AppContext): Promise<string[]> {
  const report: string[] = [];
  const admin = await ensureAdmin(ctx.db.db, ctx.config.ADMIN_EMAIL);
  if (admin.created) {
    await writeAdminPassword(ctx.config.paths.adminPassword, ctx.config.ADMIN_EMAIL, admin.password!);
    report.push(`admin ${ctx.config.ADMIN_EMAIL} created; password in ${ctx.config.paths.adminPassword}`);
  } else {
    report.push(`admin ${ctx.config.ADMIN_EMAIL} present`);
  }
  report.push(...(await seedCatalogReference(ctx.db.db)));
  report.push(...(await seedPlans(ctx.db.db)));
  return report;
}

/** Only the owner may read it (mode 600). */
export async function writeAdminPassword(file: string, email: string, password: string): Promise<void> {
  await fs.mkdir(new URL('.', `file://${file}`).pathname, { recursive: true });
  await fs.writeFile(file, `${email}\n${password}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
}
