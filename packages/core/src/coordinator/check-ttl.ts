import { invalidArgument } from './invalid-argument.js';

/** A TTL given by a caller: a positive integer of milliseconds, at most `maxTtlMs`. */
export function checkTtl(ttlMs: unknown, maxTtlMs: number): number {
  if (typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs > 0 && ttlMs <= maxTtlMs)
    return ttlMs;
  if (typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs > maxTtlMs)
    throw invalidArgument(
      'ttlMs',
      `ttlMs ${ttlMs} is longer than the namespace's maxTtlMs (${maxTtlMs})`,
      { limit: 'maxTtlMs', max: maxTtlMs },
    );
  throw invalidArgument(
    'ttlMs',
    `ttlMs must be a positive integer of milliseconds, not ${describe(ttlMs)}`,
  );
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}
