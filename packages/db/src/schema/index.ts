export * from './accounts';
export * from './media';
export * from './catalog';
export * from './viewing';
export * from './engagement';
export * from './ads';
export * from './billing';
export * from './downloads';
