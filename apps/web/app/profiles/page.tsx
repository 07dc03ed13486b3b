import type { Metadata } from 'next';
import { ProfilePicker } from '@/components/profiles';
import { getDictionary, pick } from '@/lib/i18n/server';
import { one, safeNext } from '@/lib/links';
import { getCurrentProfile, getProfiles, requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Who is watching?' };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function ProfilesPage({ searchParams }: Props) {
  const search = await searchParams;
  const next = safeNext(search.next);
  await requireMe(`/profiles?next=${encodeURIComponent(next)}`);
  const [{ t }, profiles, current] = await Promise.all([getDictionary(), getProfiles(), getCurrentProfile()]);
  // Sent back by PROFILE_LOCKED: open the PIN entry of the profile that was in use.
  const lockedId = one(search.locked) && current?.hasPin ? current.id : null;

  return (
    <div className="py-6 text-center">
      <h1 className="text-3xl font-black tracking-tight">{t.profilesHeading}</h1>
      {lockedId ? <p className="mt-2 text-muted">{t.profileLocked}</p> : null}
      <div className="mt-8">
        <ProfilePicker
          t={pick(t, ['kids', 'locked', 'enterPin', 'pin', 'unlock', 'commentCancel', 'errorGeneric', 'working'])}
          profiles={profiles ?? []}
          next={next}
          lockedId={lockedId}
        />
      </div>
      <a
        href="/profiles/manage"
        className="mt-10 inline-flex min-h-11 items-center rounded-md border border-line px-5 font-semibold hover:border-gold"
      >
        {t.manageProfiles}
      </a>
    </div>
  );
}
