import { decodeIdentityToken } from '@muster/core';
import { identityKey } from './topic-name.js';

/**
 * Record keys of the report topics. Namespace, multicast id and identity are each an
 * injective `[A-Za-z0-9_-]` token, so `/` separates them unambiguously and two namespaces
 * never share a key.
 */
export function reportKey(namespace: string, multicastId: string): string {
  return `${identityKey(namespace)}/${identityKey(multicastId)}`;
}

/** One mark: the report's key and the identity that acked. */
export function markKey(report: string, identity: string): string {
  return `${report}/${identityKey(identity)}`;
}

/** The report key and identity a mark key names. */
export function splitMarkKey(key: string): { readonly report: string; readonly identity: string } {
  const at = key.lastIndexOf('/');
  return { report: key.slice(0, at), identity: decodeIdentityToken(key.slice(at + 1)) };
}
