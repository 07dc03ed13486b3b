export * from '../../scripts/web';
