/**
 * Stable error codes: `@muster/core`'s codes, plus the two only a server answers:
 * UNAUTHENTICATED (a missing or unknown API key) and RATE_LIMITED (an API key's rate limit).
 * Messages may change between versions; codes do not.
 */
export type MusterErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_FILTER'
  | 'INVALID_METADATA'
  | 'ALREADY_EXISTS'
  | 'NOT_FOUND'
  | 'QUOTA_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'UNSUPPORTED'
  | 'INTERNAL';

export interface MusterErrorDetails {
  /** The field, path or argument at fault, when there is one. */
  readonly field?: string;
  /** Anything else a caller can act on (a filter error's line and column, a limit's name...). */
  readonly [key: string]: unknown;
}

// The same mark as @muster/core's MusterError: `MusterError.is` from either package accepts
// errors from both, so code shared between a server and its clients checks errors one way.
const MARK = Symbol.for('@muster/core/MusterError');

/**
 * The client's one error type, shaped like `@muster/core`'s MusterError (which the client does
 * not import, to stay light in browsers). `cause` chains to the ConnectError or network error.
 */
export class MusterError extends Error {
  readonly code: MusterErrorCode;
  readonly details: MusterErrorDetails;

  constructor(
    code: MusterErrorCode,
    message: string,
    options: { readonly details?: MusterErrorDetails; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MusterError';
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, MARK, { value: true });
  }

  /** True for a MusterError (the client's or core's) even across duplicated installs. */
  static is(value: unknown, code?: MusterErrorCode): value is MusterError {
    return (
      typeof value === 'object' &&
      value !== null &&
      MARK in value &&
      (code === undefined || (value as unknown as MusterError).code === code)
    );
  }
}
