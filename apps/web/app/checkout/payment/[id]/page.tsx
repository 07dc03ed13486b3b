import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PaymentStatus } from '@/components/billing/payment-status';
import type { Payment } from '@/components/billing/types';
import { serverApiOrNull } from '@/lib/api/server';
import { getDictionary, pick } from '@/lib/i18n/server';
import { one } from '@/lib/links';
import { requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Payment' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SANDBOX_ROUTE = '/api/v1/billing/sandbox/checkout/';

/** Only the sandbox's own approval page, as a same-origin path: never a link to anywhere else. */
function sandboxApprovalPath(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, 'http://same-origin.invalid');
    return url.pathname.startsWith(SANDBOX_ROUTE) ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

export default async function PaymentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  await requireMe(`/checkout/payment/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();
  const [{ locale, t }, payment] = await Promise.all([
    getDictionary(),
    serverApiOrNull<Payment>(`/api/v1/billing/payments/${id}`),
  ]);
  if (!payment) notFound();

  return (
    <div className="mx-auto max-w-lg">
      <PaymentStatus
        initial={payment}
        approvePath={payment.provider === 'sandbox' ? sandboxApprovalPath(one(query.approve)) : null}
        locale={locale}
        t={pick(t, [
          'pendingHeading',
          'pendingPhone',
          'pendingSandbox',
          'openApproval',
          'pendingCard',
          'pendingAuto',
          'successHeading',
          'successBody',
          'successGift',
          'accessUntil',
          'failedHeading',
          'failedBody',
          'failedReason',
          'statusRefunded',
          'startWatching',
          'viewReceipt',
          'retry',
          'seePlans',
        ])}
      />
    </div>
  );
}
