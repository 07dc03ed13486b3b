import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from 'next/constants';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Separate build folders let several builds of the same checkout coexist (e.g. parallel work).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  transpilePackages: ['@kush/contracts'],
  // No `rewrites()` for /api/*: those are frozen at build time. proxy.ts forwards /api/* to
  // API_URL at request time instead.
};

/** Builds (and in development keeps building) the inline stylesheet; see scripts/app-css.mjs. */
export default async function config(phase: string): Promise<NextConfig> {
  if (phase === PHASE_PRODUCTION_BUILD || phase === PHASE_DEVELOPMENT_SERVER) {
    const { buildAppCss, watchAppCss } = await import('./scripts/app-css.mjs');
    await buildAppCss();
    if (phase === PHASE_DEVELOPMENT_SERVER) watchAppCss();
  }
  return nextConfig;
}
