export { buildApp, type BuildOptions } from './app';
export { createContext, type AppContext } from './context';
