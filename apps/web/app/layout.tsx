import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Kush Films', template: '%s · Kush Films' },
  description: 'Ugandan films and series, streamed for every screen — even on slow, expensive data.',
};

export const viewport: Viewport = {
  themeColor: '#0b0b0f',
  colorScheme: 'dark',
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col bg-ink font-sans text-fg antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-10 focus:rounded focus:bg-gold focus:px-4 focus:py-2 focus:font-semibold focus:text-ink"
        >
          Skip to content
        </a>

        <header className="border-b border-line bg-ink/95">
          <div aria-hidden="true" className="flex h-1">
            <span className="flex-1 bg-fg/90" />
            <span className="flex-1 bg-gold" />
            <span className="flex-1 bg-crane-red" />
          </div>
          <div className="mx-auto flex w-full max-w-5xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-4 sm:px-6">
            <div>
              <a href="/" className="text-2xl font-black tracking-tight">
                <span className="text-gold">Kush</span> Films
              </a>
              <p className="mt-0.5 text-sm text-muted">Ugandan stories, streamed for every screen.</p>
            </div>
            <nav aria-label="Primary">
              <ul className="flex items-center gap-4 text-sm font-medium">
                <li>
                  <a
                    href="/api/docs"
                    className="inline-flex min-h-11 items-center rounded-md border border-line px-3 text-fg hover:border-gold hover:text-gold"
                  >
                    API reference
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>

        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-12">
          {children}
        </main>

        <footer className="border-t border-line">
          <div className="mx-auto flex w-full max-w-5xl flex-wrap justify-between gap-2 px-4 py-6 text-sm text-muted sm:px-6">
            <p>© Kush Films · Kampala, Uganda</p>
            <p>
              <a href="/api/docs" className="underline underline-offset-4 hover:text-gold">
                API reference
              </a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
