import fs from 'node:fs/promises';
import type { AppContext } from './context';
import { ensureAdmin } from './modules/accounts/admin-bootstrap';

/**
 * Idempotent seed: makes sure the platform has what it needs to be used. Later issues add their
 * reference data here (genres and languages, plans). Returns what it did, line by line.
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
  return report;
}

/** Only the owner may read it (mode 600). */
export async function writeAdminPassword(file: string, email: string, password: string): Promise<void> {
  await fs.mkdir(new URL('.', `file://${file}`).pathname, { recursive: true });
  await fs.writeFile(file, `${email}\n${password}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
}
