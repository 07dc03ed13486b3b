import type { Metadata } from 'next';
import { ForgotPasswordForm } from '@/components/auth-forms';
import { AUTH_KEYS, AuthCard } from '@/components/auth-page';
import { getDictionary, pick } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Reset your password' };

export default async function ForgotPasswordPage() {
  const { t } = await getDictionary();
  return (
    <AuthCard heading={t.forgotHeading}>
      <p className="mb-4 text-sm text-muted">{t.forgotIntro}</p>
      <ForgotPasswordForm t={pick(t, AUTH_KEYS)} />
    </AuthCard>
  );
}
