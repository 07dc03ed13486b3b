import type { Metadata } from 'next';
import { StatusPanel } from './_components/status-panel';
import { getPlatformStatus } from '@/lib/platform-status';

// Status must reflect the API at the moment of the request, never a build-time snapshot.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: { absolute: 'Platform status · Kush Films' } };

export default async function StatusPage() {
  const status = await getPlatformStatus();

  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_22rem] lg:gap-10">
      <section aria-labelledby="status-heading" className="min-w-0">
        <p className="text-sm font-semibold tracking-widest text-gold uppercase">Platform status</p>
        <h1 id="status-heading" className="mt-2 text-3xl font-black tracking-tight text-balance sm:text-4xl">
          Is Kush Films streaming right now?
        </h1>
        <p className="mt-3 max-w-prose text-muted">
          Live checks of the Kush Films API and the services behind it, taken when this page loaded.
        </p>
        <div className="mt-6">
          <StatusPanel status={status} />
        </div>
      </section>

      <aside
        aria-labelledby="developers-heading"
        className="h-fit rounded-xl border border-line bg-surface-raised p-5 sm:p-6"
      >
        <h2 id="developers-heading" className="text-lg font-semibold">
          For developers
        </h2>
        <p className="mt-2 text-sm text-muted">
          Every endpoint, request and response is described in the OpenAPI reference, served through this site under{' '}
          <code className="rounded bg-ink px-1 py-0.5 text-fg">/api</code>.
        </p>
        <a
          href="/api/docs"
          className="mt-4 inline-flex min-h-11 items-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90"
        >
          Read the API reference
        </a>
      </aside>
    </div>
  );
}
