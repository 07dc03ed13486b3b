export { buildApp, type BuildOptions } from './app';
export { createContext, type AppContext } from './context';
export { startApi, stopOnSignals, type RunningApi } from './runtime';
export { ensureAdmin } from './modules/accounts/admin-bootstrap';
