'use client';
import { useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api/browser';
import { fill } from '@/lib/i18n/locales';
import { formatKampalaDateTime, formatMoney } from './money';
import type { Payment } from './types';

export interface PaymentStatusStrings {
  pendingHeading: string;
  pendingPhone: string;
  pendingSandbox: string;
  openApproval: string;
  pendingCard: string;
  pendingAuto: string;
  successHeading: string;
  successBody: string;
  successGift: string;
  accessUntil: string;
  failedHeading: string;
  failedBody: string;
  failedReason: string;
  statusRefunded: string;
  startWatching: string;
  viewReceipt: string;
  retry: string;
  seePlans: string;
}

/** Every 3 s for the first two minutes (people approve within one), then every 10 s. */
const FAST_MS = 3_000;
const SLOW_MS = 10_000;
const FAST_POLLS = 40;

/**
 * A payment waiting for the viewer's approval on their phone (or the sandbox page), which turns
 * into the success or failure screen by itself: it asks the API (which asks the provider) every
 * few seconds, and at once when the viewer comes back to this tab.
 */
export function PaymentStatus({
  initial,
  approvePath,
  locale,
  t,
}: {
  initial: Payment;
  /** The sandbox provider's approval page, same-origin. */
  approvePath: string | null;
  locale: string;
  t: PaymentStatusStrings;
}) {
  const [payment, setPayment] = useState(initial);
  const heading = useRef<HTMLHeadingElement>(null);
  const pending = payment.status === 'pending';

  useEffect(() => {
    if (!pending) return;
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const controller = new AbortController();
    const check = async () => {
      if (inFlight) return;
      inFlight = true;
      clearTimeout(timer);
      try {
        const latest = await api<Payment>(`/v1/billing/payments/${initial.id}`, { signal: controller.signal });
        if (latest.status !== 'pending') {
          setPayment(latest);
          return;
        }
      } catch {
        // Offline for a moment, or the API busy: keep waiting, the next check may answer.
        if (controller.signal.aborted) return;
      } finally {
        inFlight = false;
      }
      polls += 1;
      timer = setTimeout(() => void check(), polls < FAST_POLLS ? FAST_MS : SLOW_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    timer = setTimeout(() => void check(), FAST_MS);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [pending, initial.id]);

  // The screen changed under the viewer: tell screen readers by moving focus to the new heading.
  useEffect(() => {
    if (payment.status !== initial.status) heading.current?.focus();
  }, [payment.status, initial.status]);

  const amount = formatMoney(payment.currency, payment.amount);
  const until = payment.periodEnd ? (
    <time dateTime={payment.periodEnd} data-access-until={payment.periodEnd} suppressHydrationWarning>
      {formatKampalaDateTime(payment.periodEnd, locale)}
    </time>
  ) : null;
  const [untilBefore, untilAfter] = t.accessUntil.split('{date}');
  const linkClass = 'inline-flex min-h-11 items-center justify-center rounded-md px-4 font-semibold';

  return (
    <section
      data-payment-status={payment.status}
      className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-5"
      aria-labelledby="payment-heading"
    >
      <p className="text-sm text-muted">
        {payment.planName} · {amount}
      </p>
      {payment.status === 'pending' ? (
        <>
          <h1 id="payment-heading" ref={heading} tabIndex={-1} className="flex items-center gap-3 text-2xl font-black">
            <span
              aria-hidden="true"
              className="size-5 shrink-0 animate-spin rounded-full border-2 border-gold border-t-transparent motion-reduce:animate-none"
            />
            {t.pendingHeading}
          </h1>
          {payment.provider === 'sandbox' ? (
            <>
              <p>{t.pendingSandbox}</p>
              {approvePath ? (
                <a
                  href={approvePath}
                  target="_blank"
                  rel="noopener"
                  data-sandbox-approval
                  className={`${linkClass} w-fit bg-gold text-ink hover:bg-gold/90`}
                >
                  {t.openApproval}
                </a>
              ) : null}
            </>
          ) : payment.provider === 'stripe' ? (
            <p>{t.pendingCard}</p>
          ) : (
            <p className="text-lg font-semibold">{t.pendingPhone}</p>
          )}
          <p className="text-sm text-muted">{t.pendingAuto}</p>
        </>
      ) : payment.status === 'failed' ? (
        <>
          <h1 id="payment-heading" ref={heading} tabIndex={-1} className="text-2xl font-black text-down">
            {t.failedHeading}
          </h1>
          <p>{t.failedBody}</p>
          {payment.failureReason ? (
            <p className="text-sm text-muted">{fill(t.failedReason, { reason: payment.failureReason })}</p>
          ) : null}
          <div className="flex flex-wrap gap-3">
            <a href={`/checkout/${payment.planCode}`} className={`${linkClass} bg-gold text-ink hover:bg-gold/90`}>
              {t.retry}
            </a>
            <a href="/plans" className={`${linkClass} border border-line hover:border-gold`}>
              {t.seePlans}
            </a>
          </div>
        </>
      ) : (
        <>
          <h1 id="payment-heading" ref={heading} tabIndex={-1} className="text-2xl font-black text-ok">
            {payment.status === 'refunded' ? t.statusRefunded : t.successHeading}
          </h1>
          <p>
            {payment.beneficiary.self
              ? fill(t.successBody, { plan: payment.planName })
              : fill(t.successGift, { plan: payment.planName, name: payment.beneficiary.displayName })}
          </p>
          {until ? (
            <p className="text-lg font-semibold">
              {untilBefore}
              {until}
              {untilAfter}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-3">
            <a href="/" className={`${linkClass} bg-gold text-ink hover:bg-gold/90`}>
              {t.startWatching}
            </a>
            <a href={`/account/payments/${payment.id}`} className={`${linkClass} border border-line hover:border-gold`}>
              {t.viewReceipt}
            </a>
          </div>
        </>
      )}
    </section>
  );
}
