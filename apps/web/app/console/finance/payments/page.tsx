import { notFound, redirect } from 'next/navigation';
import { requirePermission } from '@/components/console/session';
import { isUuid, param } from '@/components/console/ui';

/** The finance page's "open a payment" form lands here with ?id=…; a real id goes to its page. */
export default async function FindPaymentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission('finance:manage');
  const id = param((await searchParams).id)?.trim();
  if (!id || !isUuid(id)) notFound();
  redirect(`/console/finance/payments/${id.toLowerCase()}`);
}
