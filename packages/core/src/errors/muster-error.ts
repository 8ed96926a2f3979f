/** Stable error codes. Messages may change between versions; codes do not. */
export type MusterErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_FILTER'
  | 'INVALID_METADATA'
  | 'ALREADY_EXISTS'
  | 'NOT_FOUND'
  | 'QUOTA_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'UNSUPPORTED'
  | 'INTERNAL';

export interface MusterErrorDetails {
  /** The field, path or argument at fault, when there is one. */
  readonly field?: string;
  /** Anything else a caller can act on (a filter error's location, a limit's name...). */
  readonly [key: string]: unknown;
}

const MARK = Symbol.for('@muster/core/MusterError');

/** The one error type of Muster. `cause` chains to the underlying error (a driver's, a FilterError). */
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

  /** True for a MusterError even when several copies of this package are installed. */
  static is(value: unknown, code?: MusterErrorCode): value is MusterError {
    return (
      typeof value === 'object' &&
      value !== null &&
      MARK in value &&
      (code === undefined || (value as unknown as MusterError).code === code)
    );
  }
}
