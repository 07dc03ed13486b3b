'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { errorMessage, Field, FormMessage, inputClass, primaryButton } from '@/components/auth-forms';
import { api } from '@/lib/api/browser';
import { fill } from '@/lib/i18n/locales';
import { parseUgandanMobile } from './msisdn';
import type { CheckoutResult, PaymentProviderName } from './types';

export interface CheckoutOption {
  /** mobile: MTN/Airtel by the number's prefix; card: Stripe; sandbox: the test provider. */
  kind: 'mobile' | 'card' | 'sandbox';
  providers: PaymentProviderName[];
  currency: 'UGX' | 'USD';
  amountText: string;
}

export interface CheckoutStrings {
  payWith: string;
  methodMobileMoney: string;
  methodMobileMoneyHint: string;
  methodCard: string;
  methodCardHint: string;
  methodSandbox: string;
  methodSandboxHint: string;
  momoNumber: string;
  momoNumberHint: string;
  networkMtn: string;
  networkAirtel: string;
  networkUnknown: string;
  networkInvalid: string;
  networkNotOffered: string;
  payForSomeoneElse: string;
  beneficiaryLabel: string;
  beneficiaryHint: string;
  beneficiaryCardNote: string;
  payAmount: string;
  errorGeneric: string;
  working: string;
}

/** 32 hex characters; getRandomValues works on plain-http origins too, unlike randomUUID. */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The way to pay, the mobile-money number (its network told from the prefix) and, for a pass,
 * whom it is for. One idempotency key per attempt: a double tap or a retry after a lost answer
 * returns the same payment; changing anything starts a new attempt.
 */
export function CheckoutForm({
  planId,
  options,
  defaultPhone,
  t,
}: {
  planId: string;
  options: CheckoutOption[];
  defaultPhone: string;
  t: CheckoutStrings;
}) {
  const router = useRouter();
  const ids = useId();
  const [kind, setKind] = useState<CheckoutOption['kind']>(options[0]!.kind);
  const [phone, setPhone] = useState(defaultPhone);
  const [gift, setGift] = useState(false);
  const [beneficiary, setBeneficiary] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attemptKey = useRef<string | null>(null);

  const option = options.find((o) => o.kind === kind) ?? options[0]!;
  const usesPhone = option.kind !== 'card';
  const mobile = parseUgandanMobile(phone);
  const networkName = mobile?.network === 'mtn' ? t.networkMtn : mobile?.network === 'airtel' ? t.networkAirtel : null;

  /** Any change makes the next submit a new purchase attempt. */
  const changed = <T,>(set: (value: T) => void) => {
    return (value: T) => {
      attemptKey.current = null;
      setError(null);
      set(value);
    };
  };

  function request(): { provider: PaymentProviderName; phone?: string } | string {
    if (option.kind === 'card') return { provider: 'stripe' };
    const typed = phone.trim();
    if (option.kind === 'sandbox') {
      if (!typed) return { provider: 'sandbox' };
      return mobile ? { provider: 'sandbox', phone: mobile.e164 } : t.networkInvalid;
    }
    if (!mobile) return t.networkInvalid;
    if (!mobile.network) return t.networkUnknown;
    const provider = mobile.network === 'mtn' ? 'mtn_momo' : 'airtel_money';
    if (!option.providers.includes(provider)) return fill(t.networkNotOffered, { network: networkName ?? '' });
    return { provider, phone: mobile.e164 };
  }

  async function submit() {
    const chosen = request();
    if (typeof chosen === 'string') {
      setError(chosen);
      return;
    }
    const who = beneficiary.trim();
    const body = {
      planId,
      provider: chosen.provider,
      currency: option.currency,
      ...(chosen.phone ? { phone: chosen.phone } : {}),
      ...(gift && who && option.kind !== 'card'
        ? { beneficiary: who.includes('@') ? { email: who } : { phone: who } }
        : {}),
      idempotencyKey: (attemptKey.current ??= newIdempotencyKey()),
    };
    setBusy(true);
    setError(null);
    try {
      const result = await api<CheckoutResult>('/v1/billing/checkout', { method: 'POST', body });
      const status = `/checkout/payment/${result.payment.id}`;
      const next = result.nextAction;
      if (next.type === 'redirect' && result.payment.provider !== 'sandbox') {
        // Stripe's hosted checkout; it sends the viewer back to us when done.
        window.location.assign(next.url);
        return;
      }
      // The sandbox's approval page opens from the status screen, which keeps polling meanwhile.
      router.push(next.type === 'redirect' ? `${status}?approve=${encodeURIComponent(next.url)}` : status);
    } catch (e) {
      setError(errorMessage(e, t.errorGeneric));
      setBusy(false);
    }
  }

  const labels: Record<CheckoutOption['kind'], { name: string; hint: string }> = {
    mobile: { name: t.methodMobileMoney, hint: t.methodMobileMoneyHint },
    card: { name: t.methodCard, hint: t.methodCardHint },
    sandbox: { name: t.methodSandbox, hint: t.methodSandboxHint },
  };

  return (
    <form
      className="mt-6 flex flex-col gap-5"
      aria-label={t.payWith}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 font-semibold">{t.payWith}</legend>
        {options.map((o) => (
          <label
            key={o.kind}
            className="flex cursor-pointer items-start gap-3 rounded-lg border border-line bg-surface p-3 has-checked:border-gold"
          >
            <input
              type="radio"
              name="method"
              value={o.kind}
              checked={kind === o.kind}
              onChange={() => changed(setKind)(o.kind)}
              className="mt-1 size-5 accent-gold"
            />
            <span className="flex min-w-0 flex-1 flex-col">
              <span className="flex flex-wrap justify-between gap-x-3 font-semibold">
                <span>{labels[o.kind].name}</span>
                <span>{o.amountText}</span>
              </span>
              <span className="text-sm text-muted">{labels[o.kind].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {usesPhone ? (
        <div className="flex flex-col gap-1">
          <Field label={t.momoNumber} hint={t.momoNumberHint}>
            <input
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel-national"
              required={option.kind === 'mobile'}
              value={phone}
              onChange={(e) => changed(setPhone)(e.target.value)}
              aria-describedby={`${ids}-network`}
              className={inputClass}
              placeholder="0772 123456"
            />
          </Field>
          <p id={`${ids}-network`} aria-live="polite" className="min-h-6 text-sm" data-network={mobile?.network ?? ''}>
            {mobile ? (
              networkName ? (
                <span className="font-semibold text-ok">
                  ✓ {networkName} · {mobile.msisdn}
                </span>
              ) : (
                <span className="text-warn">{t.networkUnknown}</span>
              )
            ) : null}
          </p>
        </div>
      ) : null}

      <div className="flex flex-col gap-2">
        <label className="flex min-h-11 items-center gap-3 font-semibold">
          <input
            type="checkbox"
            checked={gift}
            disabled={option.kind === 'card'}
            onChange={(e) => changed(setGift)(e.target.checked)}
            className="size-5 accent-gold"
          />
          {t.payForSomeoneElse}
        </label>
        {option.kind === 'card' ? <p className="text-sm text-muted">{t.beneficiaryCardNote}</p> : null}
        {gift && option.kind !== 'card' ? (
          <Field label={t.beneficiaryLabel} hint={t.beneficiaryHint}>
            <input
              name="beneficiary"
              required
              autoComplete="off"
              value={beneficiary}
              onChange={(e) => changed(setBeneficiary)(e.target.value)}
              className={inputClass}
            />
          </Field>
        ) : null}
      </div>

      <FormMessage error={error} />
      <button type="submit" disabled={busy} className={primaryButton}>
        {busy ? t.working : fill(t.payAmount, { amount: option.amountText })}
      </button>
    </form>
  );
}
