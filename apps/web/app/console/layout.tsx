import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ConsoleNav } from '@/components/console/console-nav';
import { sectionsAllowed } from '@/components/console/sections';
import { requireStaff } from '@/components/console/session';

export const metadata: Metadata = {
  title: { default: 'Console', template: '%s · Console · Kush Films' },
  robots: { index: false, follow: false },
};

// Every console page depends on who is signed in.
export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const account = await requireStaff();
  const sections = [
    { href: '/console', label: 'Overview' },
    ...sectionsAllowed(account.permissions).map(({ href, label }) => ({ href, label })),
  ];
  return (
    <div className="grid gap-6 lg:grid-cols-[13rem_minmax(0,1fr)]">
      <aside aria-label="Console navigation" className="min-w-0 lg:sticky lg:top-4 lg:h-fit">
        <p className="mb-2 text-xs font-semibold tracking-widest text-gold uppercase">Staff console</p>
        <ConsoleNav sections={sections} />
        <p className="mt-3 hidden truncate text-xs text-muted lg:block">
          {account.displayName} · {account.roles.join(', ')}
        </p>
      </aside>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
