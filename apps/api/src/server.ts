import { loadConfig } from '@kush/config';
import { startApi, stopOnSignals } from './runtime';

/** Entry point of an API instance (`npm run api`). */
const api = await startApi(loadConfig());
stopOnSignals(api.stop, (msg) => api.app.log.info(msg));
