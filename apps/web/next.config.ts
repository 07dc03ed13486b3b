import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  transpilePackages: ['@kush/contracts'],
  // No `rewrites()` for /api/*: those are frozen at build time. proxy.ts forwards /api/* to
  // API_URL at request time instead.
};

export default nextConfig;
