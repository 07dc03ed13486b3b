import type { Metadata } from 'next';
import { ResetPasswordForm } from '@/components/auth-forms';
import { AUTH_KEYS, AuthCard } from '@/components/auth-page';
import { getDictionary, pick } from '@/lib/i18n/server';
import { one } from '@/lib/links';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

/** The API's reset email links here: ${WEB_URL}/reset-password?token=… */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const token = one((await searchParams).token) ?? '';
  const { t } = await getDictionary();
  return (
    <AuthCard heading={t.resetHeading}>
      {token.length >= 20 ? (
        <ResetPasswordForm t={pick(t, AUTH_KEYS)} token={token} />
      ) : (
        <p>
          {t.resetMissingToken}{' '}
          <a href="/forgot-password" className="text-gold underline underline-offset-4">
            {t.forgotPassword}
          </a>
        </p>
      )}
    </AuthCard>
  );
}
