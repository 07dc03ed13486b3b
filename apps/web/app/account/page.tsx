import type { NotificationType } from '@kush/contracts';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import {
  ChangePasswordForm,
  NotificationPreferencesForm,
  ProfilePreferences,
  ResendVerification,
} from '@/components/account-forms';
import { ActionButton } from '@/components/action-button';
import { SubscriptionSection } from '@/components/subscription-section';
import { serverApi } from '@/lib/api/server';
import { formatKampalaDate } from '@/lib/format';
import { fill, LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';
import { getDictionary, pick } from '@/lib/i18n/server';
import { getCurrentProfile, requireMe } from '@/lib/session';
import type { NotificationPreferences, Session } from '@/lib/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account' };

function Section({ id, heading, children }: { id: string; heading: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-line bg-surface p-5">
      <h2 id={id} className="mb-4 text-xl font-semibold">
        {heading}
      </h2>
      {children}
    </section>
  );
}

/** "Chrome on Android" is enough to recognise a device; the raw user agent is not. */
function deviceName(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\/|Opera/.test(userAgent)
      ? 'Opera'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Firefox\//.test(userAgent)
          ? 'Firefox'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return browser && os ? `${browser} · ${os}` : userAgent.slice(0, 60);
}

export default async function AccountPage() {
  const me = await requireMe('/account');
  const [{ locale, t }, profile, sessions, preferences] = await Promise.all([
    getDictionary(),
    getCurrentProfile(),
    serverApi<{ items: Session[] }>('/api/v1/me/sessions'),
    serverApi<NotificationPreferences>('/api/v1/me/notification-preferences'),
  ]);
  const typeLabels: Record<NotificationType, string> = {
    new_episode: t.typeNewEpisode,
    title_free: t.typeTitleFree,
    subscription: t.typeSubscription,
    payment_receipt: t.typePaymentReceipt,
    account: t.typeAccount,
  };
  const languages = LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] }));
  const others = sessions.items.filter((s) => !s.current);

  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.accountHeading}</h1>
      <div className="mt-6 flex flex-col gap-6">
        <Section id="details-heading" heading={t.accountDetails}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-muted">{t.displayName}</dt>
            <dd className="break-words">{me.displayName}</dd>
            {me.email ? (
              <>
                <dt className="text-muted">{t.email}</dt>
                <dd className="break-all">
                  {me.email}{' '}
                  <span className={`text-sm ${me.emailVerified ? 'text-ok' : 'text-warn'}`}>
                    ({me.emailVerified ? t.emailVerified : t.emailNotVerified})
                  </span>
                </dd>
              </>
            ) : null}
            {me.phone ? (
              <>
                <dt className="text-muted">{t.phone}</dt>
                <dd>{me.phone}</dd>
              </>
            ) : null}
          </dl>
          {me.email && !me.emailVerified ? (
            <ResendVerification t={pick(t, ['resendVerification', 'verificationSent', 'errorGeneric'])} />
          ) : null}
        </Section>

        <SubscriptionSection t={t} />

        {profile ? (
          <Section id="preferences-heading" heading={`${t.preferences}: ${profile.name}`}>
            <ProfilePreferences
              t={pick(t, [
                'dataSaver',
                'dataSaverAuto',
                'dataSaverLow',
                'dataSaverMedium',
                'dataSaverHigh',
                'language',
                'save',
                'saved',
                'errorGeneric',
              ])}
              profile={profile}
              languages={languages}
            />
          </Section>
        ) : null}

        <Section id="notification-prefs-heading" heading={t.notificationPrefs}>
          <NotificationPreferencesForm
            t={pick(t, ['inApp', 'byEmail', 'save', 'saved', 'errorGeneric', 'notificationPrefs'])}
            items={preferences.items}
            labels={typeLabels}
          />
        </Section>

        <Section id="password-heading" heading={t.changePassword}>
          <ChangePasswordForm
            t={pick(t, ['currentPassword', 'newPassword', 'changePassword', 'passwordChanged', 'errorGeneric'])}
          />
        </Section>

        <Section id="devices-heading" heading={t.devices}>
          <ul className="divide-y divide-line">
            {sessions.items.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                <div>
                  <p className="font-semibold">
                    {deviceName(s.userAgent)}
                    {s.current ? <span className="ml-2 text-sm text-ok">({t.thisDevice})</span> : null}
                  </p>
                  <p className="text-sm text-muted">
                    {fill(t.lastUsed, { date: formatKampalaDate(s.lastUsedAt, locale) })}
                    {s.ip ? ` · ${s.ip}` : ''}
                  </p>
                </div>
                {s.current ? null : (
                  <ActionButton
                    path={`/v1/me/sessions/${s.id}`}
                    method="DELETE"
                    label={t.signOutDevice}
                    errorText={t.errorGeneric}
                  />
                )}
              </li>
            ))}
          </ul>
          {others.length > 0 ? (
            <div className="mt-3">
              <ActionButton path="/v1/me/sessions" method="DELETE" label={t.signOutOthers} errorText={t.errorGeneric} />
            </div>
          ) : null}
        </Section>
      </div>
    </div>
  );
}
