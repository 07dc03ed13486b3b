'use client';
import type { NotificationType, Profile } from '@kush/contracts';
import { useState } from 'react';
import { api } from '@/lib/api/browser';
import { Field, FormMessage, inputClass, useSubmit } from './auth-forms';

const button = 'min-h-11 rounded-md px-4 text-sm font-semibold disabled:opacity-60';

export function ChangePasswordForm({
  t,
}: {
  t: {
    currentPassword: string;
    newPassword: string;
    changePassword: string;
    passwordChanged: string;
    errorGeneric: string;
  };
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [done, setDone] = useState(false);
  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        setDone(false);
        void run(async () => {
          await api('/v1/me/password', {
            method: 'POST',
            body: {
              currentPassword: String(data.get('currentPassword') ?? ''),
              newPassword: String(data.get('newPassword') ?? ''),
            },
          });
          form.reset();
          setDone(true);
        });
      }}
    >
      <Field label={t.currentPassword}>
        <input name="currentPassword" type="password" required autoComplete="current-password" className={inputClass} />
      </Field>
      <Field label={t.newPassword}>
        <input
          name="newPassword"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          className={inputClass}
        />
      </Field>
      <FormMessage error={error} success={done ? t.passwordChanged : null} />
      <button type="submit" disabled={busy} className={`${button} bg-gold text-ink`}>
        {t.changePassword}
      </button>
    </form>
  );
}

export function ResendVerification({
  t,
}: {
  t: { resendVerification: string; verificationSent: string; errorGeneric: string };
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [sent, setSent] = useState(false);
  return (
    <div className="mt-2 flex flex-col gap-2">
      <button
        type="button"
        disabled={busy || sent}
        className={`${button} w-fit border border-line hover:border-gold`}
        onClick={() =>
          void run(async () => {
            await api('/v1/auth/email/verify/resend', { method: 'POST', body: {} });
            setSent(true);
          })
        }
      >
        {t.resendVerification}
      </button>
      <FormMessage error={error} success={sent ? t.verificationSent : null} />
    </div>
  );
}

const DATA_SAVER = [
  ['auto', 'dataSaverAuto'],
  ['low', 'dataSaverLow'],
  ['medium', 'dataSaverMedium'],
  ['high', 'dataSaverHigh'],
] as const;

/** The selected profile's data saver and language; a language the pages speak also switches the pages. */
export function ProfilePreferences({
  t,
  profile,
  languages,
}: {
  t: {
    dataSaver: string;
    dataSaverAuto: string;
    dataSaverLow: string;
    dataSaverMedium: string;
    dataSaverHigh: string;
    language: string;
    save: string;
    saved: string;
    errorGeneric: string;
  };
  profile: Pick<Profile, 'id' | 'dataSaver' | 'language'>;
  languages: { code: string; name: string }[];
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="grid max-w-xl gap-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const language = String(data.get('language'));
        setSaved(false);
        void run(async () => {
          await api(`/v1/profiles/${profile.id}`, {
            method: 'PATCH',
            body: { dataSaver: String(data.get('dataSaver')), language },
          });
          if (languages.some((l) => l.code === language)) {
            document.cookie = `kf_lang=${language}; Path=/; Max-Age=31536000; SameSite=Lax`;
          }
          window.location.reload();
          setSaved(true);
        });
      }}
    >
      <Field label={t.dataSaver}>
        <select name="dataSaver" defaultValue={profile.dataSaver} className={inputClass}>
          {DATA_SAVER.map(([value, key]) => (
            <option key={value} value={value}>
              {t[key]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.language}>
        <select name="language" defaultValue={profile.language} className={inputClass}>
          {languages.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <div className="sm:col-span-2">
        <FormMessage error={error} success={saved ? t.saved : null} />
        <button type="submit" disabled={busy} className={`${button} mt-2 bg-gold text-ink`}>
          {t.save}
        </button>
      </div>
    </form>
  );
}

export function NotificationPreferencesForm({
  t,
  items,
  labels,
}: {
  t: { inApp: string; byEmail: string; save: string; saved: string; errorGeneric: string; notificationPrefs: string };
  items: { type: NotificationType; inApp: boolean; email: boolean }[];
  labels: Record<NotificationType, string>;
}) {
  const { busy, error, run } = useSubmit(t.errorGeneric);
  const [saved, setSaved] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        setSaved(false);
        void run(async () => {
          await api('/v1/me/notification-preferences', {
            method: 'PUT',
            body: {
              items: items.map((i) => ({
                type: i.type,
                inApp: data.get(`${i.type}.inApp`) === 'on',
                email: data.get(`${i.type}.email`) === 'on',
              })),
            },
          });
          setSaved(true);
        });
      }}
    >
      <table className="w-full max-w-xl text-sm">
        <caption className="sr-only">{t.notificationPrefs}</caption>
        <thead>
          <tr className="text-left text-muted">
            <th scope="col" className="py-2 font-semibold">
              <span className="sr-only">{t.notificationPrefs}</span>
            </th>
            <th scope="col" className="w-24 py-2 text-center font-semibold">
              {t.inApp}
            </th>
            <th scope="col" className="w-24 py-2 text-center font-semibold">
              {t.byEmail}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.type} className="border-t border-line">
              <th scope="row" className="py-2 text-left font-semibold">
                {labels[i.type]}
              </th>
              <td className="text-center">
                <input
                  type="checkbox"
                  name={`${i.type}.inApp`}
                  defaultChecked={i.inApp}
                  aria-label={`${labels[i.type]}: ${t.inApp}`}
                  className="size-5 accent-gold"
                />
              </td>
              <td className="text-center">
                <input
                  type="checkbox"
                  name={`${i.type}.email`}
                  defaultChecked={i.email}
                  aria-label={`${labels[i.type]}: ${t.byEmail}`}
                  className="size-5 accent-gold"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="mt-3 max-w-xl">
        <FormMessage error={error} success={saved ? t.saved : null} />
      </div>
      <button type="submit" disabled={busy} className={`${button} mt-2 bg-gold text-ink`}>
        {t.save}
      </button>
    </form>
  );
}
