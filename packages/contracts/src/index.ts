export * from './errors';
export * from './roles';
export * from './common';
export * from './auth';
export * from './admin';
export * from './health';
export * from './jobs';
