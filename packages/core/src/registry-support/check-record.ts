import type { IdentityRecord } from '../slots/identity-record.js';
import { checkExpiresAt } from './check-expires-at.js';
import { invalidSlotArgument } from './invalid-slot-argument.js';

/** The shape of a record given to a registry slot's `put` (the coordinator has checked the rest). */
export function checkRecord(record: IdentityRecord): void {
  if (typeof record !== 'object' || record === null)
    throw invalidSlotArgument('record must be an object', 'record');
  if (typeof record.identity !== 'string' || record.identity.length === 0)
    throw invalidSlotArgument('record.identity must be a non-empty string', 'identity');
  if (typeof record.metadata !== 'object' || record.metadata === null)
    throw invalidSlotArgument('record.metadata must be an object', 'metadata');
  checkExpiresAt(record.expiresAt);
}
