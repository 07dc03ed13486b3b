import { loadConfig } from '@kush/config';
import { parseArgs } from 'node:util';
import { createContext } from '../context';
import { ensureAdmin } from '../modules/accounts/admin-bootstrap';

/**
 * npm run admin:create -- --email ops@kushfilms.com [--name "Ops"]
 * Creates the account with a random password (printed once) or grants admin to an existing one.
 */
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const config = loadConfig();
const email = values.email ?? config.ADMIN_EMAIL;
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
  process.stderr.write(`Not an email address: ${email}\n`);
  process.exit(1);
}
const ctx = await createContext(config);
try {
  const result = await ensureAdmin(ctx.db.db, email, { displayName: values.name });
  process.stdout.write(
    result.created
      ? `Created admin ${email}\nPassword (shown once, change it after signing in): ${result.password}\n`
      : `${email} already exists; it now has the admin role (password unchanged).\n`,
  );
} finally {
  await ctx.close();
}
