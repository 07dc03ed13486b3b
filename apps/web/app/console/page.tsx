import Link from 'next/link';
import { PageHeader } from '@/components/console/ui';
import { sectionsAllowed } from '@/components/console/sections';
import { requireStaff } from '@/components/console/session';

export const metadata = { title: 'Overview' };

export default async function ConsoleOverviewPage() {
  const account = await requireStaff();
  const sections = sectionsAllowed(account.permissions);
  return (
    <>
      <PageHeader title={`Hello, ${account.displayName}`} description="What your roles let you manage." />
      <ul className="grid gap-3 sm:grid-cols-2">
        {sections.map((s) => (
          <li key={s.href}>
            <Link
              href={s.href}
              className="block h-full rounded-xl border border-line bg-surface p-4 hover:border-gold focus-visible:border-gold"
            >
              <span className="text-lg font-semibold">{s.label}</span>
              <span className="mt-1 block text-sm text-muted">{s.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
