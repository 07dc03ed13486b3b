import { MAX_PROFILES_PER_ACCOUNT } from '@kush/contracts';
import type { Metadata } from 'next';
import { NewProfileForm, ProfileEditor } from '@/components/profiles';
import { fill, LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
import { getDictionary, pick } from '@/lib/i18n/server';
import { getProfiles, requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Manage profiles' };

const EDITOR_KEYS = [
  'kids',
  'locked',
  'enterPin',
  'pin',
  'unlock',
  'commentCancel',
  'errorGeneric',
  'working',
  'profileName',
  'kidsProfile',
  'maturityLimit',
  'language',
  'dataSaver',
  'dataSaverAuto',
  'dataSaverLow',
  'dataSaverMedium',
  'dataSaverHigh',
  'save',
  'saved',
  'deleteProfile',
  'deleteProfileConfirm',
  'setPin',
  'removePin',
  'newPin',
  'accountPassword',
  'liftLimitHint',
  'create',
  'addProfile',
] as const;

export default async function ManageProfilesPage() {
  await requireMe('/profiles/manage');
  const [{ t }, profiles] = await Promise.all([getDictionary(), getProfiles()]);
  const list = profiles ?? [];
  const strings = pick(t, EDITOR_KEYS);
  const languages = LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] }));

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tight">{t.manageProfiles}</h1>
        <a
          href="/profiles"
          className="inline-flex min-h-11 items-center rounded-md bg-gold px-5 font-semibold text-ink"
        >
          {t.done}
        </a>
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        {list.map((profile) => (
          <ProfileEditor
            key={profile.id}
            t={strings}
            profile={profile}
            languages={languages}
            canDelete={list.length > 1}
          />
        ))}
        {list.length < MAX_PROFILES_PER_ACCOUNT ? (
          <NewProfileForm t={strings} languages={languages} />
        ) : (
          <p className="text-muted">{fill(t.profileLimit, { n: MAX_PROFILES_PER_ACCOUNT })}</p>
        )}
      </div>
    </div>
  );
}
