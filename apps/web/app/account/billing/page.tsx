import { redirect } from 'next/navigation';

/**
 * The address the API's payment links use (Stripe's return URLs, the sandbox page's "Back to Kush
 * Films", receipt emails): a payment goes to its status screen, anything else to the account page.
 */
export default async function BillingLinkPage({ searchParams }: { searchParams: Promise<{ payment?: string }> }) {
  const { payment } = await searchParams;
  if (payment && /^[0-9a-f-]{36}$/i.test(payment)) redirect(`/checkout/payment/${payment}`);
  redirect('/account');
}
