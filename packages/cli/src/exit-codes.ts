import { MusterError, type MusterErrorCode } from '@muster/client';

/**
 * The exit codes of `muster`, stable across versions so that scripts can branch on them.
 */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** An error not listed below (INTERNAL, an unexpected failure). */
  FAILURE: 1,
  /** The command line is wrong: unknown command or option, missing argument, bad value. */
  USAGE: 2,
  /** The server rejected the request: INVALID_ARGUMENT, INVALID_FILTER, INVALID_METADATA. */
  INVALID: 3,
  /** NOT_FOUND: the identity, multicast report or namespace does not exist. */
  NOT_FOUND: 4,
  /** ALREADY_EXISTS: the identity is registered (use --replace). */
  ALREADY_EXISTS: 5,
  /** UNAUTHENTICATED or PERMISSION_DENIED: no valid token, or the token may not do this. */
  DENIED: 6,
  /** UNAVAILABLE or TIMEOUT: the server or a backend cannot be reached; retry later. */
  UNAVAILABLE: 7,
  /** QUOTA_EXCEEDED or RATE_LIMITED: a limit was reached; retry later or ask for more. */
  LIMITED: 8,
  /** A multicast reached the server but not every target (see the printed report). */
  UNDELIVERED: 9,
  /** UNSUPPORTED: the server's backend cannot do this (e.g. count matches). */
  UNSUPPORTED: 10,
} as const;

const BY_CODE: Partial<Record<MusterErrorCode, number>> = {
  INVALID_ARGUMENT: EXIT.INVALID,
  INVALID_FILTER: EXIT.INVALID,
  INVALID_METADATA: EXIT.INVALID,
  NOT_FOUND: EXIT.NOT_FOUND,
  ALREADY_EXISTS: EXIT.ALREADY_EXISTS,
  UNAUTHENTICATED: EXIT.DENIED,
  PERMISSION_DENIED: EXIT.DENIED,
  UNAVAILABLE: EXIT.UNAVAILABLE,
  TIMEOUT: EXIT.UNAVAILABLE,
  QUOTA_EXCEEDED: EXIT.LIMITED,
  RATE_LIMITED: EXIT.LIMITED,
  UNSUPPORTED: EXIT.UNSUPPORTED,
};

/** The exit code for an error a command ended with. */
export function exitCodeFor(error: unknown): number {
  return MusterError.is(error) ? (BY_CODE[error.code] ?? EXIT.FAILURE) : EXIT.FAILURE;
}
