'use client';
import type { Profile } from '@kush/contracts';
import { useState } from 'react';
import { api, selectProfile } from '@/lib/api/browser';
import { errorMessage, Field, FormMessage, inputClass, useSubmit } from './auth-forms';

export interface ProfileStrings {
  kids: string;
  locked: string;
  enterPin: string;
  pin: string;
  unlock: string;
  commentCancel: string;
  errorGeneric: string;
  working: string;
}

const LOCALE_COOKIE = 'kf_lang';
const UI_LANGUAGES = ['en', 'lg', 'sw'];

/** Selecting a profile also selects its language for the pages when they are translated into it. */
function choose(profile: Profile, next: string) {
  selectProfile(profile.id);
  if (UI_LANGUAGES.includes(profile.language)) {
    document.cookie = `${LOCALE_COOKIE}=${profile.language}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }
  window.location.assign(next);
}

function Avatar({ profile, large = false }: { profile: Pick<Profile, 'name' | 'isKids'>; large?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`flex items-center justify-center rounded-xl font-black text-ink ${
        profile.isKids ? 'bg-ok' : 'bg-gold'
      } ${large ? 'size-24 text-4xl' : 'size-10 text-lg'}`}
    >
      {profile.name.charAt(0).toUpperCase()}
    </span>
  );
}

export function ProfilePicker({
  t,
  profiles,
  next,
  lockedId,
}: {
  t: ProfileStrings;
  profiles: Profile[];
  next: string;
  /** Open the PIN entry for this profile straight away (sent back here by PROFILE_LOCKED). */
  lockedId: string | null;
}) {
  const [unlocking, setUnlocking] = useState<Profile | null>(profiles.find((p) => p.id === lockedId) ?? null);
  const [pin, setPin] = useState('');
  const { busy, error, run } = useSubmit(t.errorGeneric);

  if (unlocking) {
    return (
      <form
        className="mx-auto flex max-w-xs flex-col items-center gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api(`/v1/profiles/${unlocking.id}/pin/verify`, { method: 'POST', body: { pin } });
            choose(unlocking, next);
          });
        }}
      >
        <Avatar profile={unlocking} large />
        <Field label={t.enterPin.replace('{name}', unlocking.name)}>
          <input
            name="pin"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 4))}
            inputMode="numeric"
            pattern="\d{4}"
            autoComplete="off"
            required
            autoFocus
            type="password"
            className={`${inputClass} text-center text-2xl tracking-[0.5em]`}
          />
        </Field>
        <FormMessage error={error} />
        <div className="flex w-full gap-2">
          <button
            type="submit"
            disabled={busy || pin.length !== 4}
            className="min-h-11 flex-1 rounded-md bg-gold font-semibold text-ink disabled:opacity-60"
          >
            {busy ? t.working : t.unlock}
          </button>
          <button
            type="button"
            onClick={() => {
              setUnlocking(null);
              setPin('');
            }}
            className="min-h-11 flex-1 rounded-md border border-line font-semibold"
          >
            {t.commentCancel}
          </button>
        </div>
      </form>
    );
  }

  return (
    <ul className="flex flex-wrap justify-center gap-4 sm:gap-6">
      {profiles.map((profile) => (
        <li key={profile.id}>
          <button
            type="button"
            data-profile={profile.name}
            onClick={() => (profile.hasPin ? setUnlocking(profile) : choose(profile, next))}
            className="group flex w-28 flex-col items-center gap-2 rounded-xl p-2 hover:bg-surface"
          >
            <Avatar profile={profile} large />
            <span className="max-w-full truncate font-semibold group-hover:text-gold">{profile.name}</span>
            <span className="text-xs text-muted">
              {profile.isKids ? t.kids : ''}
              {profile.isKids && profile.hasPin ? ' · ' : ''}
              {profile.hasPin ? `🔒 ${t.locked}` : ''}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export interface ProfileEditorStrings extends ProfileStrings {
  profileName: string;
  kidsProfile: string;
  maturityLimit: string;
  language: string;
  dataSaver: string;
  dataSaverAuto: string;
  dataSaverLow: string;
  dataSaverMedium: string;
  dataSaverHigh: string;
  save: string;
  saved: string;
  deleteProfile: string;
  deleteProfileConfirm: string;
  setPin: string;
  removePin: string;
  newPin: string;
  accountPassword: string;
  liftLimitHint: string;
  create: string;
  addProfile: string;
}

const MATURITY = ['G', 'PG', '13', '16', '18'] as const;
const DATA_SAVER = [
  ['auto', 'dataSaverAuto'],
  ['low', 'dataSaverLow'],
  ['medium', 'dataSaverMedium'],
  ['high', 'dataSaverHigh'],
] as const;

function ProfileFields({
  t,
  profile,
  languages,
}: {
  t: ProfileEditorStrings;
  profile: Partial<Profile>;
  languages: { code: string; name: string }[];
}) {
  const [kids, setKids] = useState(profile.isKids ?? false);
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label={t.profileName}>
        <input name="name" defaultValue={profile.name} required maxLength={40} className={inputClass} />
      </Field>
      <Field label={t.language}>
        <select name="language" defaultValue={profile.language ?? 'en'} className={inputClass}>
          {languages.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="flex min-h-11 items-center gap-3 text-sm font-semibold sm:col-span-2">
        <input
          type="checkbox"
          name="isKids"
          checked={kids}
          onChange={(e) => setKids(e.target.checked)}
          className="size-5 accent-gold"
        />
        {t.kidsProfile}
      </label>
      <Field label={t.maturityLimit}>
        <select
          name="maturityLimit"
          key={kids ? 'kids' : 'all'}
          defaultValue={kids ? 'PG' : (profile.maturityLimit ?? '18')}
          className={inputClass}
        >
          {MATURITY.filter((m) => !kids || m === 'G' || m === 'PG').map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.dataSaver}>
        <select name="dataSaver" defaultValue={profile.dataSaver ?? 'auto'} className={inputClass}>
          {DATA_SAVER.map(([value, key]) => (
            <option key={value} value={value}>
              {t[key]}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

function fieldsOf(form: HTMLFormElement) {
  const data = new FormData(form);
  const password = String(data.get('password') ?? '');
  return {
    name: String(data.get('name') ?? '').trim(),
    isKids: data.get('isKids') === 'on',
    maturityLimit: String(data.get('maturityLimit')),
    language: String(data.get('language')),
    dataSaver: String(data.get('dataSaver')),
    // Only lifting a kids profile or a maturity limit needs it (the API says so if it is missing).
    ...(password ? { password } : {}),
  };
}

const smallButton = 'min-h-11 rounded-md px-4 text-sm font-semibold disabled:opacity-60';

function PinForm({ t, profile }: { t: ProfileEditorStrings; profile: Profile }) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [saved, setSaved] = useState(false);
  const [hasPin, setHasPin] = useState(profile.hasPin);
  const submit = (form: HTMLFormElement, remove: boolean) => {
    const data = new FormData(form);
    setSaved(false);
    void run(async () => {
      await api(`/v1/profiles/${profile.id}/pin`, {
        method: 'PUT',
        body: { pin: remove ? null : String(data.get('pin') ?? ''), password: String(data.get('password') ?? '') },
      });
      setHasPin(!remove);
      setSaved(true);
      form.reset();
    });
  };
  return (
    <form
      className="mt-4 grid gap-3 border-t border-line pt-4 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        submit(e.currentTarget, false);
      }}
    >
      <Field label={t.newPin}>
        <input
          name="pin"
          type="password"
          inputMode="numeric"
          pattern="\d{4}"
          maxLength={4}
          autoComplete="off"
          className={inputClass}
        />
      </Field>
      <Field label={t.accountPassword}>
        <input name="password" type="password" required autoComplete="current-password" className={inputClass} />
      </Field>
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <button type="submit" disabled={busy} className={`${smallButton} border border-line hover:border-gold`}>
          {t.setPin}
        </button>
        {hasPin ? (
          <button
            type="button"
            disabled={busy}
            className={`${smallButton} border border-line hover:border-gold`}
            onClick={(e) => {
              const form = e.currentTarget.form;
              if (form?.reportValidity()) submit(form, true);
            }}
          >
            {t.removePin}
          </button>
        ) : null}
      </div>
      <div className="sm:col-span-2">
        <FormMessage error={error} success={saved ? t.saved : null} />
      </div>
    </form>
  );
}

export function ProfileEditor({
  t,
  profile,
  languages,
  canDelete,
}: {
  t: ProfileEditorStrings;
  profile: Profile;
  languages: { code: string; name: string }[];
  canDelete: boolean;
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [saved, setSaved] = useState(false);
  return (
    <section className="rounded-xl border border-line bg-surface p-4" aria-label={profile.name}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body = fieldsOf(e.currentTarget);
          setSaved(false);
          void run(async () => {
            await api(`/v1/profiles/${profile.id}`, { method: 'PATCH', body });
            setSaved(true);
          });
        }}
      >
        <ProfileFields t={t} profile={profile} languages={languages} />
        {profile.isKids || profile.maturityLimit !== '18' ? (
          <div className="mt-3">
            <Field label={t.accountPassword} hint={t.liftLimitHint}>
              <input name="password" type="password" autoComplete="current-password" className={inputClass} />
            </Field>
          </div>
        ) : null}
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="submit" disabled={busy} className={`${smallButton} bg-gold text-ink`}>
            {t.save}
          </button>
          {canDelete ? (
            <button
              type="button"
              disabled={busy}
              className={`${smallButton} border border-down/50 text-down`}
              onClick={() => {
                if (!window.confirm(t.deleteProfileConfirm.replace('{name}', profile.name))) return;
                void run(async () => {
                  await api(`/v1/profiles/${profile.id}`, { method: 'DELETE' });
                  window.location.reload();
                });
              }}
            >
              {t.deleteProfile}
            </button>
          ) : null}
        </div>
        <div className="mt-3">
          <FormMessage error={error} success={saved ? t.saved : null} />
        </div>
      </form>
      <PinForm t={t} profile={profile} />
    </section>
  );
}

export function NewProfileForm({
  t,
  languages,
}: {
  t: ProfileEditorStrings;
  languages: { code: string; name: string }[];
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="rounded-xl border border-dashed border-line p-4"
      aria-label={t.addProfile}
      onSubmit={(e) => {
        e.preventDefault();
        const body = fieldsOf(e.currentTarget);
        setBusy(true);
        setError(null);
        api<Profile>('/v1/profiles', { method: 'POST', body })
          .then(() => window.location.reload())
          .catch((err: unknown) => {
            setError(errorMessage(err, t.errorGeneric));
            setBusy(false);
          });
      }}
    >
      <h2 className="mb-3 text-lg font-semibold">{t.addProfile}</h2>
      <ProfileFields t={t} profile={{}} languages={languages} />
      <div className="mt-3">
        <FormMessage error={error} />
      </div>
      <button type="submit" disabled={busy} className={`${smallButton} mt-3 bg-gold text-ink`}>
        {busy ? t.working : t.create}
      </button>
    </form>
  );
}
