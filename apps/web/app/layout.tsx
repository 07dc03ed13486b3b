import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { PageStyles, ShellStyles } from '@/components/app-styles';
import { LanguageSwitcher } from '@/components/language-switcher';
import { ServiceWorkerRegistration } from '@/components/service-worker-registration';
import { SessionKeeper } from '@/components/session-keeper';
import { SiteHeader } from '@/components/site-header';
import { ApiError, serverApi } from '@/lib/api/server';
import { getDictionary } from '@/lib/i18n/server';
import { getCurrentProfile, getMe } from '@/lib/session';

export const metadata: Metadata = {
  title: { default: 'Kush Films', template: '%s · Kush Films' },
  description: 'Ugandan films and series, streamed for every screen — even on slow, expensive data.',
  applicationName: 'Kush Films',
  appleWebApp: { capable: true, title: 'Kush Films', statusBarStyle: 'black-translucent' },
  icons: { icon: '/icons/icon-192.png', apple: '/icons/icon-192.png' },
};

export const viewport: Viewport = {
  themeColor: '#0b0b0f',
  colorScheme: 'dark',
  width: 'device-width',
  initialScale: 1,
};

/** The header's unread badge; a locked or missing profile simply shows none. */
async function unreadCount(profileId: string | undefined): Promise<number> {
  if (!profileId) return 0;
  try {
    const result = await serverApi<{ unreadCount: number }>(`/api/v1/profiles/${profileId}/notifications/unread-count`);
    return result.unreadCount;
  } catch (error) {
    if (error instanceof ApiError) return 0;
    throw error;
  }
}

/** The header degrades to signed-out when the API is down, so /status can still say so. */
async function viewer() {
  try {
    const me = await getMe();
    const profile = me ? await getCurrentProfile() : null;
    return { signedIn: me !== null, profile, unread: await unreadCount(profile?.id) };
  } catch {
    return { signedIn: false, profile: null, unread: 0 };
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [{ locale, t }, { signedIn, profile, unread }] = await Promise.all([getDictionary(), viewer()]);

  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col bg-ink font-sans text-fg antialiased">
        <ShellStyles />
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-4 focus:left-4 focus:z-30 focus:rounded focus:bg-gold focus:px-4 focus:py-2 focus:font-semibold focus:text-ink"
        >
          {t.skipToContent}
        </a>

        <SiteHeader t={t} signedIn={signedIn} profile={profile} unread={unread} />
        {/* After the header, so the first paint shows it (scripts/app-css.mjs). */}
        <PageStyles />

        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>

        <footer className="border-t border-line">
          <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-6 text-sm text-muted sm:px-6">
            <p>© Kush Films · Kampala, Uganda</p>
            <LanguageSwitcher t={t} locale={locale} />
            <p className="flex gap-4">
              <a href="/status" className="underline underline-offset-4 hover:text-gold">
                {t.footerStatus}
              </a>
              <a href="/api/docs" className="underline underline-offset-4 hover:text-gold">
                API reference
              </a>
            </p>
          </div>
        </footer>
        <SessionKeeper signedIn={signedIn} />
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
