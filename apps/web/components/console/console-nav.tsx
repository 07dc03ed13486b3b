'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface ConsoleSection {
  href: string;
  label: string;
}

/** The console's sections the account may open; the current one is marked for screen readers too. */
export function ConsoleNav({ sections }: { sections: ConsoleSection[] }) {
  const pathname = usePathname();
  const isCurrent = (href: string) =>
    href === '/console' ? pathname === '/console' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <nav aria-label="Console">
      <ul className="flex gap-1 overflow-x-auto pb-1 lg:flex-col lg:overflow-visible lg:pb-0">
        {sections.map((s) => (
          <li key={s.href} className="shrink-0">
            <Link
              href={s.href}
              aria-current={isCurrent(s.href) ? 'page' : undefined}
              className="flex min-h-11 items-center rounded-md px-3 text-sm font-semibold text-muted hover:bg-surface-raised hover:text-fg aria-[current=page]:bg-surface-raised aria-[current=page]:text-gold"
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
