import { invalidSlotArgument } from './invalid-slot-argument.js';

/** A slot's `expiresAt` argument: epoch milliseconds or null (no TTL). */
export function checkExpiresAt(expiresAt: number | null): void {
  if (expiresAt !== null && !Number.isFinite(expiresAt))
    throw invalidSlotArgument('expiresAt must be a finite number or null', 'expiresAt');
}
