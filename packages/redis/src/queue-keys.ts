import { encodeIdentityToken } from '@muster/core';
import { namespaceTag } from './namespace-tag.js';

/**
 * The durable-queue keys and channels of one namespace, all under its hash tag (one Cluster
 * slot: a script gets any of them in KEYS). Identities become tokens (`encodeIdentityToken`,
 * injective), so no identity can reach another's queue.
 */
export interface QueueKeys {
  /** String: the last sequence given out in the namespace (INCRBY; never reset, not by purge). */
  readonly sequence: string;
  /** Zset: identity scored by a lower bound of the oldest createdAt in its stream (for age trims). */
  readonly oldest: string;
  /** Stream of one identity: entry id `0-<sequence>`, fields `c` (createdAt) and `e` (the envelope). */
  stream(identity: string): string;
  /** Channel that says "messages were enqueued" for one identity (`onAvailable`). */
  ready(identity: string): string;
}

export function queueKeys(prefix: string, namespace: string): QueueKeys {
  const tag = namespaceTag(prefix, namespace);
  return {
    sequence: `${tag}:q-sequence`,
    oldest: `${tag}:q-oldest`,
    stream: (identity) => `${tag}:q:${encodeIdentityToken(identity)}`,
    ready: (identity) => `${tag}:q-ready:${encodeIdentityToken(identity)}`,
  };
}
