/**
 * Typed storage errors. Each carries the HTTP status the API should answer with, so one error
 * handler can map them without knowing which driver threw.
 */
export abstract class StorageError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

/** The key (or prefix, upload id, part number) is not one this package will ever touch. 400. */
export class InvalidStorageKeyError extends StorageError {
  readonly status = 400;
  readonly code = 'INVALID_STORAGE_KEY';
  constructor(reason: string) {
    super(`Invalid storage key: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

export class ObjectNotFoundError extends StorageError {
  readonly status = 404;
  readonly code = 'OBJECT_NOT_FOUND';
  constructor(readonly key: string) {
    super(`No object at ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

export class UploadNotFoundError extends StorageError {
  readonly status = 404;
  readonly code = 'UPLOAD_NOT_FOUND';
  constructor(readonly uploadId: string) {
    super(`No multipart upload ${uploadId}`);
    this.name = 'UploadNotFoundError';
  }
}

export type AccessDeniedReason = 'missing' | 'malformed' | 'expired' | 'invalid';

/** A signed URL was missing, altered, expired, or used for something it was not issued for. 403. */
export class StorageAccessError extends StorageError {
  readonly status = 403;
  readonly code = 'STORAGE_ACCESS_DENIED';
  constructor(readonly reason: AccessDeniedReason) {
    // The message is safe to show: it never says which part of the signature failed to match.
    super(reason === 'expired' ? 'This link has expired' : 'This link is not valid');
    this.name = 'StorageAccessError';
  }
}

export type InvalidUploadReason =
  | 'size-mismatch'
  | 'content-type-mismatch'
  | 'too-large'
  | 'invalid-part'
  | 'invalid-part-order'
  | 'part-too-small'
  | 'no-parts';

/** An upload's body or completion request does not match what was announced. 400 (413 when too large). */
export class InvalidUploadError extends StorageError {
  readonly status: number;
  readonly code = 'INVALID_UPLOAD';
  constructor(
    readonly reason: InvalidUploadReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidUploadError';
    this.status = reason === 'too-large' ? 413 : 400;
  }
}

/** The requested byte range starts past the end of the object. 416; `size` feeds `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiableError extends StorageError {
  readonly status = 416;
  readonly code = 'RANGE_NOT_SATISFIABLE';
  constructor(readonly size: number) {
    super('Requested range not satisfiable');
    this.name = 'RangeNotSatisfiableError';
  }
}
