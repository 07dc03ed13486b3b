import type { NextConfig } from 'next';

/** The same framework settings as apps/web/next.config.ts, minus what only the app needs. */
const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
