import { createLocalStorage, type LocalStorage, type LocalStorageOptions } from './local';
import { createS3Storage, type S3Storage, type S3StorageOptions } from './s3';

export * from './types';
export * from './errors';
export {
  assertFolderPrefix,
  assertSafeKey,
  assertSafePrefix,
  IMAGE_STAGING_PREFIX,
  imageOwnerPrefix,
  IMAGES_PREFIX,
  imageStagingKey,
  imageVariantKey,
  imageVariantPrefix,
  type ImageOwner,
  isUuid,
  masterPlaylistKey,
  MAX_KEY_LENGTH,
  renditionKey,
  renditionPrefix,
  transcodeStagingPrefix,
  videoOutputPrefix,
  videoSourceKey,
  VIDEOS_PREFIX,
} from './keys';
export { assertSigned, signPath, verify, type SignedParams, type VerifyInput, type VerifyResult } from './signing';
export { parseRangeHeader } from './internal';
export {
  createLocalStorage,
  OBJECTS_ROUTE,
  UPLOADS_ROUTE,
  type LocalStorage,
  type LocalStorageOptions,
  type ObjectResponse,
  type SignedQuery,
  type WriteRequest,
  type WriteResponse,
} from './local';
export { createS3Storage, type S3Storage, type S3StorageOptions } from './s3';
export { sweepAbandonedUploads, type SweepOptions, type SweepResult } from './sweeper';

export type StorageOptions = ({ driver: 'local' } & LocalStorageOptions) | ({ driver: 's3' } & S3StorageOptions);

export function createStorage(options: { driver: 'local' } & LocalStorageOptions): LocalStorage;
export function createStorage(options: { driver: 's3' } & S3StorageOptions): S3Storage;
export function createStorage(options: StorageOptions): LocalStorage | S3Storage;
/** Picks the driver: local disk by default, S3-compatible when configured. */
export function createStorage(options: StorageOptions): LocalStorage | S3Storage {
  switch (options.driver) {
    case 'local':
      return createLocalStorage(options);
    case 's3':
      return createS3Storage(options);
  }
}

/** The slice of @kush/config's Config this package reads (kept structural so storage does not depend on config). */
export interface StorageConfig {
  STORAGE_DRIVER: 'local' | 's3';
  MEDIA_SIGNING_SECRET: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE: boolean;
  paths: { media: string };
}

/**
 * Maps the parsed environment to driver options. `publicBaseUrl` is the origin browsers reach the
 * API's storage routes at (local driver only).
 */
export function storageOptionsFromConfig(config: StorageConfig, publicBaseUrl: string): StorageOptions {
  if (config.STORAGE_DRIVER === 'local') {
    return { driver: 'local', root: config.paths.media, publicBaseUrl, signingSecret: config.MEDIA_SIGNING_SECRET };
  }
  const { S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } = config;
  if (!S3_BUCKET || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY) {
    throw new Error('S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when STORAGE_DRIVER=s3');
  }
  return {
    driver: 's3',
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: S3_BUCKET,
    accessKeyId: S3_ACCESS_KEY_ID,
    secretAccessKey: S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  };
}
