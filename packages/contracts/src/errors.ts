/** Stable error codes: clients branch on these, never on messages. Each maps to one HTTP status here. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  ACCOUNT_SUSPENDED: 403,
  /** A profile PIN did not match (not a session failure, so not 401). */
  PIN_INCORRECT: 403,
  /** The request acts as a PIN-protected profile without a current unlock (enter the PIN first). */
  PROFILE_LOCKED: 403,
  /** The change lifts a profile's restriction (kids mode, maturity limit): send the account password. */
  PASSWORD_REQUIRED: 403,
  /** The viewer's plan does not include offline downloads (Premium does). */
  DOWNLOADS_NOT_INCLUDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  PHONE_TAKEN: 409,
  /** A staff-chosen slug is already used by another record. */
  SLUG_TAKEN: 409,
  /** The account already has as many streams playing as its plan allows; details name the devices. */
  STREAM_LIMIT_REACHED: 409,
  /** The account already keeps as many active downloads as allowed; remove one first. */
  DOWNLOAD_LIMIT_REACHED: 409,
  /** An idempotency key was sent again with a different request. */
  IDEMPOTENCY_KEY_REUSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The web app's /api proxy could not reach the API. */
  API_UNAVAILABLE: 502,
  /** A payment provider refused or did not answer; nothing was charged by us. */
  PAYMENT_PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The one error type business code throws; the API renders it as `{ error: { code, message, details?, requestId } }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}
