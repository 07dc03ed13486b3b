export * from './schema';
export * as tables from './schema';
export {
  createDb,
  isUniqueViolation,
  migrationsFolder,
  type Database,
  type DbHandle,
  type DbOptions,
  type Executor,
  type Transaction,
} from './client';
export { uuidv7 } from './ids';
