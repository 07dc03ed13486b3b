import type { Dictionary } from '@/lib/i18n/en';
import { grantLines } from './labels';
import type { Plan } from './types';

/** What a plan (or the viewer's current access) grants, ticked or crossed. */
export function PlanGrants({ t, grants }: { t: Dictionary; grants: Plan['grants'] }) {
  return (
    <ul className="flex flex-col gap-1.5 text-sm">
      {grantLines(t, grants).map((line) => (
        <li key={line.text} className={`flex gap-2 ${line.included ? '' : 'text-muted'}`}>
          <span aria-hidden="true" className={line.included ? 'text-ok' : 'text-muted'}>
            {line.included ? '✓' : '–'}
          </span>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
