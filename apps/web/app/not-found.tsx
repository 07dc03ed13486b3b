import { getDictionary } from '@/lib/i18n/server';

export default async function NotFound() {
  const { t } = await getDictionary();
  return (
    <div className="mx-auto max-w-md py-10 text-center">
      <h1 className="text-3xl font-black tracking-tight">{t.notFoundHeading}</h1>
      <p className="mt-3 text-muted">{t.notFoundBody}</p>
      <a
        href="/"
        className="mt-6 inline-flex min-h-11 items-center rounded-md bg-gold px-5 font-semibold text-ink hover:bg-gold/90"
      >
        {t.goHome}
      </a>
    </div>
  );
}
