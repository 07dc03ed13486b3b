export * from './accounts';
export * from './media';
