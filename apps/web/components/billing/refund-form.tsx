'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { buttonClass, inputClass } from '@/components/console/form-classes';
import { api, ApiError } from '@/lib/api/browser';
import { formatMoney } from './money';
import type { RefundResult } from './types';

const newKey = () => crypto.randomUUID();

/**
 * Finance refunds a payment: card refunds go to Stripe; mobile money is recorded as a manual
 * refund that finance returns by hand. The amount is in the payment's own unit (UGX shillings,
 * USD cents). One idempotency key per refund: after an unconfirmed answer, submitting the same
 * amount again completes that refund instead of starting a second one.
 */
export function RefundForm({ paymentId, maxAmount }: { paymentId: string; maxAmount: number | null }) {
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const attempt = useRef<{ key: string; amount: number } | null>(null);

  return (
    <form
      aria-label="Record a refund"
      className="flex max-w-md flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const amount = Number(data.get('amount'));
        const reason = String(data.get('reason') ?? '').trim();
        if (!window.confirm(`Refund ${amount} on this payment? This cannot be undone.`)) return;
        if (attempt.current?.amount !== amount) attempt.current = { key: newKey(), amount };
        setBusy(true);
        setMessage(null);
        api<RefundResult>(`/v1/admin/billing/payments/${paymentId}/refunds`, {
          method: 'POST',
          body: { amount, reason, idempotencyKey: attempt.current.key },
        })
          .then(({ payment, refund, followUp }) => {
            form.reset();
            attempt.current = null;
            const how =
              refund.status === 'manual'
                ? 'Recorded as a manual refund.'
                : refund.status === 'pending'
                  ? 'Sent; the provider has not confirmed it yet.'
                  : 'Sent to the provider.';
            setMessage({
              ok: true,
              text: `Refund recorded. ${formatMoney(payment.currency, payment.refundedAmount)} of ${formatMoney(payment.currency, payment.amount)} refunded; status ${payment.status}. ${how}${followUp ? ` ${followUp}` : ''}`,
            });
            router.refresh();
          })
          .catch((error: unknown) => {
            // Only a refund the provider did not confirm is completed by sending the same key again.
            const details =
              error instanceof ApiError ? (error.details as { refundStatus?: string } | undefined) : undefined;
            if (details?.refundStatus !== 'pending') attempt.current = null;
            setMessage({ ok: false, text: error instanceof ApiError ? error.message : 'The refund was not recorded.' });
          })
          .finally(() => setBusy(false));
      }}
    >
      <label className="flex flex-col gap-1 text-sm font-semibold" htmlFor={`${id}-amount`}>
        Amount (UGX shillings, or USD cents)
      </label>
      <input
        id={`${id}-amount`}
        name="amount"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        max={maxAmount ?? undefined}
        required
        className={inputClass}
        aria-describedby={`${id}-amount-hint`}
      />
      <p id={`${id}-amount-hint`} className="-mt-2 text-xs text-muted">
        {maxAmount !== null ? `At most ${maxAmount.toLocaleString('en-US')} is left to refund.` : null}
      </p>
      <label className="flex flex-col gap-1 text-sm font-semibold" htmlFor={`${id}-reason`}>
        Reason
      </label>
      <input id={`${id}-reason`} name="reason" required maxLength={300} className={inputClass} />
      <div aria-live="polite" className="min-h-6 text-sm">
        {message ? <p className={message.ok ? 'text-ok' : 'text-down'}>{message.text}</p> : null}
      </div>
      <button type="submit" disabled={busy || maxAmount === 0} className={buttonClass}>
        {busy ? 'Recording…' : 'Record refund'}
      </button>
    </form>
  );
}
