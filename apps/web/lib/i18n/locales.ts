/** The languages the viewer pages are translated into; English is the default. No server-only imports. */
export const LOCALES = ['en', 'lg', 'sw'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** A plain cookie (a language code, not a secret) read on the server for every render. */
export const LOCALE_COOKIE = 'kf_lang';

/** Each language named in itself, so a viewer finds their own in the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', lg: 'Luganda', sw: 'Kiswahili' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Fills `{name}` placeholders: fill('{n} titles', { n: 3 }). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}
