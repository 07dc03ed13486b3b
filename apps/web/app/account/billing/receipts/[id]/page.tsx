import { notFound, redirect } from 'next/navigation';

/** Receipt links in payment emails and notifications open the printable receipt. */
export default async function ReceiptLinkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  redirect(`/account/payments/${id}`);
}
