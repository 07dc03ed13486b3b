import type { Database, Transaction } from '@kush/db';
import { type AuditEntry, recordAudit } from '../audit/audit.repository';

/** Who is making a staff change, for the audit log. */
export interface StaffContext {
  actorId: string;
  requestId?: string;
  ip?: string;
}

export type AuditRecord = Omit<AuditEntry, 'actorId' | 'requestId' | 'ip'>;

/** What the catalog tells other modules after a change is committed (viewer notifications). */
export interface CatalogEvents {
  /** An episode of a live series became watchable. */
  episodeReleased(titleId: string, episodeId: string): Promise<void>;
  /** A live title went from premium to free. */
  titleBecameFree(titleId: string): Promise<void>;
}

/**
 * Runs a staff change in one transaction with its audit entries, then, once committed, tells every
 * API instance that the catalog changed (cache invalidation).
 */
export class CatalogWriter {
  constructor(
    private readonly db: Database,
    private readonly changed: () => Promise<void>,
    private readonly events?: CatalogEvents,
    private readonly onError: (error: unknown, what: string) => void = () => {},
  ) {}

  async change<T>(
    staff: StaffContext,
    work: (tx: Transaction, audit: (entry: AuditRecord) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const result = await this.db.transaction((tx) =>
      work(tx, (entry) =>
        recordAudit(tx, { ...entry, actorId: staff.actorId, requestId: staff.requestId, ip: staff.ip }),
      ),
    );
    await this.changed();
    return result;
  }

  /**
   * Tells other modules about a committed change. Their failure does not undo the change (it is
   * committed) and is logged, not returned to the staff member.
   */
  async emit(event: (events: CatalogEvents) => Promise<void>): Promise<void> {
    if (!this.events) return;
    try {
      await event(this.events);
    } catch (error) {
      this.onError(error, 'catalog event');
    }
  }

  /** A read on the primary, for staff screens that must see their own writes. */
  get reader(): Database {
    return this.db;
  }
}
