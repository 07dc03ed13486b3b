import type { Profile } from '@kush/contracts';
import type { Dictionary } from '@/lib/i18n/en';
import { fill } from '@/lib/i18n/locales';
import { pick } from '@/lib/i18n/server';
import { SearchBox } from './search-box';
import { SignOutButton } from './sign-out-button';

const navLink =
  'relative inline-flex min-h-11 items-center whitespace-nowrap rounded-md px-2 text-sm font-semibold text-fg hover:text-gold';

export function SiteHeader({
  t,
  signedIn,
  profile,
  unread,
}: {
  t: Dictionary;
  signedIn: boolean;
  profile: Profile | null;
  unread: number;
}) {
  return (
    <header className="border-b border-line">
      <div aria-hidden="true" className="flex h-1">
        <span className="flex-1 bg-fg/90" />
        <span className="flex-1 bg-gold" />
        <span className="flex-1 bg-crane-red" />
      </div>
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <a href="/" className="mr-auto pl-9 text-2xl font-black tracking-tight">
          <span className="text-gold">Kush</span> Films
        </a>
        <div className="order-last w-full md:order-none md:w-80">
          {/* A client component: only its own strings are serialised into every page, not the dictionary. */}
          <SearchBox
            id="site-search"
            t={pick(t, ['searchLabel', 'searchPlaceholder', 'searchButton', 'suggestions'])}
          />
        </div>
        {signedIn ? (
          <a
            href="/profiles"
            className="inline-flex min-h-11 items-center gap-2 rounded-md border border-line px-3 text-sm font-semibold hover:border-gold"
          >
            <span aria-hidden="true" className="flex size-6 items-center justify-center rounded-full bg-gold text-ink">
              {(profile?.name ?? '?').charAt(0).toUpperCase()}
            </span>
            <span className="max-w-28 truncate">{profile?.name ?? t.navProfiles}</span>
          </a>
        ) : (
          <a
            href="/login"
            className="inline-flex min-h-11 items-center rounded-md bg-gold px-4 text-sm font-semibold text-ink hover:bg-gold/90"
          >
            {t.navSignIn}
          </a>
        )}
      </div>
      <nav aria-label={t.navPrimary} className="mx-auto w-full max-w-6xl px-2 sm:px-4">
        <ul className="flex items-center gap-1 overflow-x-auto pb-1">
          <li>
            <a href="/" className={navLink}>
              {t.navHome}
            </a>
          </li>
          <li>
            <a href="/search" className={navLink}>
              {t.navSearch}
            </a>
          </li>
          {signedIn ? (
            <>
              <li>
                <a href="/my-list" className={navLink}>
                  {t.navMyList}
                </a>
              </li>
              <li>
                <a href="/history" className={navLink}>
                  {t.navHistory}
                </a>
              </li>
              <li>
                <a href="/downloads" className={navLink}>
                  {t.navDownloads}
                </a>
              </li>
              <li>
                <a href="/notifications" className={navLink} data-testid="notifications-link">
                  {t.navNotifications}
                  {unread > 0 ? (
                    <span className="ml-1 rounded-full bg-crane-red px-1.5 text-xs font-semibold text-white">
                      <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                      <span className="sr-only">{fill(t.unreadCount, { n: unread })}</span>
                    </span>
                  ) : null}
                </a>
              </li>
              <li>
                <a href="/account" className={navLink}>
                  {t.navAccount}
                </a>
              </li>
            </>
          ) : (
            <li>
              <a href="/register" className={navLink}>
                {t.navRegister}
              </a>
            </li>
          )}
          {/* Subscription pages (/plans) are built by the subscriptions work. */}
          <li>
            <a href="/plans" className={navLink}>
              {t.navPlans}
            </a>
          </li>
          {signedIn ? (
            <li>
              <SignOutButton label={t.navSignOut} className={`${navLink} cursor-pointer`} />
            </li>
          ) : null}
        </ul>
      </nav>
    </header>
  );
}
