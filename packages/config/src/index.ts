export { loadConfig, parseConfig, ConfigError, type Config } from './schema';
