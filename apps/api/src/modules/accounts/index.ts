import type { FastifyInstance } from 'fastify';
import type { AuthService } from './auth.service';
import { adminUsersRoutes } from './admin-users.routes';
import { authRoutes } from './auth.routes';
import { meRoutes } from './me.routes';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';
import type { Database } from '@kush/db';

export { AuthService } from './auth.service';
export type { Principal } from './auth.service';

export interface AccountsModuleOptions {
  db: Database;
  auth: AuthService;
  cookieSecure: boolean;
  allowedOrigins: string[];
}

/** Accounts: sign-up and sign-in, the signed-in account, and staff administration of users. */
export async function accountsModule(app: FastifyInstance, options: AccountsModuleOptions): Promise<void> {
  const { db, auth, cookieSecure, allowedOrigins } = options;
  await app.register(authRoutes, { prefix: '/api/v1/auth', auth, cookieSecure, allowedOrigins });
  await app.register(meRoutes, { prefix: '/api/v1/me', auth, sessions: new SessionsService(db) });
  await app.register(adminUsersRoutes, { prefix: '/api/v1/admin/users', users: new UsersService(db) });
}
