'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { buttonClass, inputClass } from '@/components/console/form-classes';
import { api, ApiError } from '@/lib/api/browser';
import { formatMoney } from './money';
import type { Payment } from './types';

/**
 * Finance records a refund made outside the API (at the provider's dashboard, or cash). The
 * amount is in the payment's own unit: UGX shillings, USD cents. The ledger below updates after.
 */
export function RefundForm({ paymentId, maxAmount }: { paymentId: string; maxAmount: number | null }) {
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

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
        if (!window.confirm(`Record a refund of ${amount} on this payment? This cannot be undone.`)) return;
        setBusy(true);
        setMessage(null);
        api<Payment>(`/v1/admin/billing/payments/${paymentId}/refunds`, { method: 'POST', body: { amount, reason } })
          .then((payment) => {
            form.reset();
            setMessage({
              ok: true,
              text: `Refund recorded. ${formatMoney(payment.currency, payment.refundedAmount)} of ${formatMoney(payment.currency, payment.amount)} refunded; status ${payment.status}.`,
            });
            router.refresh();
          })
          .catch((error: unknown) =>
            setMessage({ ok: false, text: error instanceof ApiError ? error.message : 'The refund was not recorded.' }),
          )
          .finally(() => setBusy(false));
      }}
    >
      <label className="flex flex-col gap-1 text-sm font-medium" htmlFor={`${id}-amount`}>
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
      <label className="flex flex-col gap-1 text-sm font-medium" htmlFor={`${id}-reason`}>
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
