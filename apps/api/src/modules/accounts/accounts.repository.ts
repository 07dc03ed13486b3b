import { accountTokens, type Executor, refreshTokens, sessions, users, uuidv7 } from '@kush/db';
import { and, desc, eq, gt, ilike, isNull, lt, ne, or, sql, arrayContains } from 'drizzle-orm';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export async function insertUser(
  db: Executor,
  values: {
    email: string | null;
    phone: string | null;
    passwordHash: string;
    displayName: string;
    roles?: string[];
    emailVerifiedAt?: Date | null;
  },
): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ id: uuidv7(), ...values })
    .returning();
  return row!;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByIdentifier(db: Executor, identifier: string): Promise<UserRow | undefined> {
  const column = identifier.includes('@') ? users.email : users.phone;
  const [row] = await db.select().from(users).where(eq(column, identifier)).limit(1);
  return row;
}

export async function updateUser(
  db: Executor,
  id: string,
  values: Partial<Omit<UserRow, 'id' | 'createdAt'>>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function listUsers(
  db: Executor,
  filter: {
    q?: string;
    role?: string;
    status?: 'active' | 'suspended';
    after?: { createdAt: Date; id: string };
    limit: number;
  },
): Promise<UserRow[]> {
  const conditions = [];
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.email, like), ilike(users.phone, like), ilike(users.displayName, like)));
  }
  if (filter.role) conditions.push(arrayContains(users.roles, [filter.role]));
  if (filter.status) conditions.push(eq(users.status, filter.status));
  if (filter.after) {
    // Newest first: continue strictly after the last row of the previous page.
    conditions.push(
      or(
        lt(users.createdAt, filter.after.createdAt),
        and(eq(users.createdAt, filter.after.createdAt), lt(users.id, filter.after.id)),
      ),
    );
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(filter.limit);
}

export async function countAdmins(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(arrayContains(users.roles, ['admin']), eq(users.status, 'active')));
  return row?.n ?? 0;
}

// Sessions and refresh tokens

export async function insertSession(
  db: Executor,
  values: { userId: string; userAgent: string | null; ip: string | null; expiresAt: Date },
): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({ id: uuidv7(), ...values })
    .returning();
  return row!;
}

export async function findActiveSession(db: Executor, id: string, now: Date): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  return row;
}

/** The user and their session in one round trip: what every authenticated request checks. */
export async function findPrincipal(db: Executor, sessionId: string, userId: string, now: Date) {
  const [row] = await db
    .select({ user: users, sessionId: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.id, sessionId), eq(users.id, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)),
    )
    .limit(1);
  return row;
}

export async function listActiveSessions(db: Executor, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt));
}

export async function touchSession(db: Executor, id: string, now: Date, ip: string | null): Promise<void> {
  await db.update(sessions).set({ lastUsedAt: now, ip }).where(eq(sessions.id, id));
}

export async function revokeSession(db: Executor, id: string, userId: string, reason: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeUserSessions(
  db: Executor,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

export async function insertRefreshToken(
  db: Executor,
  values: { sessionId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(refreshTokens).values({ id: uuidv7(), ...values });
}

/** Locks the token row so two refreshes with the same token are decided one after the other. */
export async function findRefreshTokenForUpdate(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ token: refreshTokens, session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1)
    .for('update', { of: refreshTokens });
  return row;
}

export async function markRefreshTokenUsed(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt)));
}

// Emailed single-use tokens

export async function insertAccountToken(
  db: Executor,
  values: { userId: string; purpose: 'password_reset' | 'email_verify'; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(accountTokens).values({ id: uuidv7(), ...values });
}

/** Marks the token used and returns it, in one statement, so it can be spent only once. */
export async function consumeAccountToken(
  db: Executor,
  tokenHash: string,
  purpose: 'password_reset' | 'email_verify',
  now: Date,
) {
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.tokenHash, tokenHash),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

export async function invalidateAccountTokens(
  db: Executor,
  userId: string,
  purpose: 'password_reset' | 'email_verify',
  now: Date,
): Promise<void> {
  await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}

export async function revokeUserSessionById(db: Executor, sessionId: string, reason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}
