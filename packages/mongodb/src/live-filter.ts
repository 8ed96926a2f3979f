import type { Filter } from 'mongodb';
import type { IdentityDocument } from './identity-document.js';

/**
 * Records of the namespace that are live at `now`: every read carries this, so an expired record
 * is invisible at once whether or not a sweep (or the TTL index) has removed it.
 */
export function liveFilter(namespace: string, now: number): Filter<IdentityDocument> {
  return { ns: namespace, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
}

/** Records of the namespace that expired at or before `now` (what a sweep removes). */
export function expiredFilter(namespace: string, now: number): Filter<IdentityDocument> {
  return { ns: namespace, expiresAt: { $ne: null, $lte: now } };
}
