import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Separate build folders let several builds of the same checkout coexist (e.g. parallel work).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  transpilePackages: ['@kush/contracts'],
  // No `rewrites()` for /api/*: those are frozen at build time. proxy.ts forwards /api/* to
  // API_URL at request time instead.
};

export default nextConfig;
