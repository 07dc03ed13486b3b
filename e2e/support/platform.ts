import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '@kush/config';
import { startApi, type RunningApi } from '@kush/api';
import { ensureWebBuild, freePort, startWebServer, type WebServer } from './web-server';

export interface Platform {
  api: RunningApi;
  web: WebServer;
  stop(): Promise<void>;
}

/**
 * The real API (embedded defaults, a fresh data directory) and the built web app in front of it,
 * so pages and the /api proxy are same-origin as in production.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  await ensureWebBuild();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-e2e-'));
  const webPort = await freePort();
  const config = parseConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEB_URL: `http://127.0.0.1:${webPort}`,
    SAMPLE_CONTENT: 'false',
    ...env,
  });
  const api = await startApi(config);
  const web = await startWebServer({ apiUrl: api.url, port: webPort });
  return {
    api,
    web,
    async stop() {
      await web.stop();
      await api.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
