import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth-forms';
import { AUTH_KEYS, AuthCard } from '@/components/auth-page';
import { getDictionary, pick } from '@/lib/i18n/server';
import { safeNext } from '@/lib/links';
import { getMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next);
  if (await getMe()) redirect(next);
  const { t } = await getDictionary();
  return (
    <AuthCard
      heading={t.signInHeading}
      footer={
        <div className="flex flex-col gap-2">
          <a href="/forgot-password" className="text-gold underline underline-offset-4">
            {t.forgotPassword}
          </a>
          <p>
            {t.noAccount}{' '}
            <a href={`/register?next=${encodeURIComponent(next)}`} className="text-gold underline underline-offset-4">
              {t.navRegister}
            </a>
          </p>
        </div>
      }
    >
      <LoginForm t={pick(t, AUTH_KEYS)} next={next} />
    </AuthCard>
  );
}
