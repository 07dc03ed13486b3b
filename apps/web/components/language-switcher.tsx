import type { Dictionary } from '@/lib/i18n/en';
import { LOCALE_NAMES, LOCALES, type Locale } from '@/lib/i18n/locales';

/** A GET form to /lang (works without JavaScript); the choice is kept in the kf_lang cookie. */
export function LanguageSwitcher({ t, locale }: { t: Pick<Dictionary, 'language' | 'change'>; locale: Locale }) {
  return (
    <form action="/lang" method="get" className="flex items-center gap-2">
      <label htmlFor="language-select">{t.language}</label>
      <select
        id="language-select"
        name="lang"
        defaultValue={locale}
        className="min-h-11 rounded-md border border-line bg-surface px-2 text-fg"
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
      <button type="submit" className="min-h-11 rounded-md border border-line px-3 font-semibold hover:border-gold">
        {t.change}
      </button>
    </form>
  );
}
