import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RegisterForm } from '@/components/auth-forms';
import { AUTH_KEYS, AuthCard } from '@/components/auth-page';
import { getDictionary, pick } from '@/lib/i18n/server';
import { safeNext } from '@/lib/links';
import { getMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create account' };

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next);
  if (await getMe()) redirect(next);
  const { t } = await getDictionary();
  return (
    <AuthCard
      heading={t.registerHeading}
      footer={
        <p>
          {t.haveAccount}{' '}
          <a href={`/login?next=${encodeURIComponent(next)}`} className="text-gold underline underline-offset-4">
            {t.navSignIn}
          </a>
        </p>
      }
    >
      <RegisterForm t={pick(t, AUTH_KEYS)} next={next} />
    </AuthCard>
  );
}
