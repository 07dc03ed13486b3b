import type { Metadata } from 'next';
import { VerifyEmail } from '@/components/auth-forms';
import { AUTH_KEYS, AuthCard } from '@/components/auth-page';
import { getDictionary, pick } from '@/lib/i18n/server';
import { one } from '@/lib/links';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Confirm your email', referrer: 'no-referrer' };

/** The API's confirmation email links here: ${WEB_URL}/verify-email?token=… */
export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const token = one((await searchParams).token) ?? '';
  const { t } = await getDictionary();
  return (
    <AuthCard heading={t.verifyHeading}>
      {token.length >= 20 ? <VerifyEmail t={pick(t, AUTH_KEYS)} token={token} /> : <p>{t.resetMissingToken}</p>}
    </AuthCard>
  );
}
