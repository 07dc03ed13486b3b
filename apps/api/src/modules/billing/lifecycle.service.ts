import type { Database } from '@kush/db';
import type { NotificationsService } from '../viewer/services';
import * as repo from './billing.repository';
import type { BillingService } from './billing.service';
import { kampalaDateTime } from './passes';
import { ProviderError } from './providers/types';
import type { SmsSender } from './sms';

/**
 * What happens with time: pending payments are settled from the provider's answer, viewers are
 * reminded before a pass or a grace period ends, and access that is over is marked so.
 */
export class BillingLifecycle {
  constructor(
    private readonly db: Database,
    private readonly billing: BillingService,
    private readonly notifications: NotificationsService,
    private readonly sms: SmsSender,
    private readonly settings: { reminderDays: number; batch?: number },
  ) {}

  /** Asks the provider about every pending payment due for a check. Returns how many were settled. */
  async reconcile(now = new Date()): Promise<{ checked: number; settled: number }> {
    const due = await repo.duePendingPayments(this.db, now, this.settings.batch ?? 100);
    let settled = 0;
    for (const payment of due) {
      try {
        const after = await this.billing.settle(payment.id, 'reconciler', now);
        if (after.status !== 'pending') settled += 1;
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        // The provider did not answer: try again later, like any other pending answer.
        await this.billing.apply(payment.id, { status: 'pending' }, 'reconciler', now);
      }
    }
    return { checked: due.length, settled };
  }

  /** Reminders before a pass ends and during a card's grace period: once each (dedupe keys). */
  async remind(now = new Date()): Promise<number> {
    const until = new Date(now.getTime() + this.settings.reminderDays * 86_400_000);
    let sent = 0;
    for (const { subscription: s, phone } of await repo.endingSoon(this.db, now, until)) {
      const ends = s.status === 'past_due' ? s.graceUntil! : s.currentPeriodEnd;
      const when = kampalaDateTime(ends);
      const content =
        s.status === 'past_due'
          ? {
              subject: 'Update your card to keep watching',
              body: `Your card renewal failed. Your access ends on ${when} (Kampala time) unless the payment goes through.`,
              url: '/account/billing',
            }
          : {
              subject: 'Your Kush Films pass ends soon',
              body: `Your pass ends on ${when} (Kampala time). Renew with mobile money to keep watching: each payment adds to the time you have left.`,
              url: '/plans',
            };
      const { notificationId, emailed } = await this.notifications.notify(s.userId, 'subscription', {
        ...content,
        data: { subscriptionId: s.id, endsAt: ends.toISOString() },
        dedupeKey: `ends-soon-${s.id}-${ends.toISOString()}`,
      });
      if (!notificationId && !emailed) continue;
      sent += 1;
      if (phone) await this.sms.send(phone, `Kush Films: ${content.body}`);
    }
    return sent;
  }

  /** Marks passes past their end and card subscriptions past their grace period as expired, and tells the viewer. */
  async expire(now = new Date()): Promise<number> {
    const ended = await this.db.transaction(async (tx) => {
      const rows = await repo.expireEnded(tx, now);
      // Access ended when the pass or the grace period did, not when this job noticed.
      for (const s of rows) {
        await repo.recordAccessChange(tx, s, 'ended', s.kind === 'pass' ? s.currentPeriodEnd : (s.graceUntil ?? now));
      }
      return rows;
    });
    for (const s of ended) {
      await this.notifications.notify(s.userId, 'subscription', {
        subject: 'Your Kush Films access has ended',
        body:
          s.kind === 'pass'
            ? 'Your pass has ended. Buy another with mobile money or a card whenever you like; the free catalog stays open.'
            : 'Your card renewal did not go through, so your subscription has ended. Subscribe again at any time.',
        url: '/plans',
        data: { subscriptionId: s.id },
        dedupeKey: `ended-${s.id}-${s.currentPeriodEnd.toISOString()}`,
      });
    }
    return ended.length;
  }
}
