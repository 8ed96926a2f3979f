import { MusterError } from '@muster/core';

/** SQLSTATE classes that mean a bug in the statement, not an unreachable server. */
const STATEMENT_CLASSES = new Set(['22', '23', '42']);

/**
 * Turns what the driver threw into a MusterError: MusterErrors pass through, a rejected
 * statement (data or syntax error) is INTERNAL, anything else (refused or dropped connections,
 * timeouts, admin shutdown) is UNAVAILABLE, which the coordinator may retry.
 */
export function driverError(error: unknown, what: string): MusterError {
  if (MusterError.is(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && STATEMENT_CLASSES.has(code.slice(0, 2)))
    return new MusterError('INTERNAL', `postgres rejected ${what} (${code})`, { cause: error });
  return new MusterError('UNAVAILABLE', `postgres did not complete ${what}`, { cause: error });
}

/** True when the error says the connection was lost (worth one retry for a read). */
export function isConnectionLoss(error: unknown): boolean {
  if (MusterError.is(error)) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return true;
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}
