/**
 * The visitor's language on the server: the kf_lang cookie (set by the switcher and when a
 * profile is chosen), else English. Dictionaries are small flat objects that never reach the
 * client whole; client components get only the strings they show, as props.
 */
import { cookies } from 'next/headers';
import { cache } from 'react';
import { en, type Dictionary } from './en';
import { lg } from './lg';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from './locales';
import { sw } from './sw';

const DICTIONARIES: Record<Locale, Dictionary> = { en, lg, sw };

export const getLocale = cache(async (): Promise<Locale> => {
  const value = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(value) ? value : DEFAULT_LOCALE;
});

export const getDictionary = cache(async (): Promise<{ locale: Locale; t: Dictionary }> => {
  const locale = await getLocale();
  return { locale, t: DICTIONARIES[locale] };
});

/** Picks the strings a client component needs, so only those are serialised into the page. */
export function pick<K extends keyof Dictionary>(t: Dictionary, keys: readonly K[]): Pick<Dictionary, K> {
  const out = {} as Pick<Dictionary, K>;
  for (const key of keys) out[key] = t[key];
  return out;
}
