import { encodeIdentityToken } from '@muster/core';

/**
 * `{prefix:namespace token}`: the hash tag every key and channel of a namespace starts with (the
 * registry's keys, the durable queues, the messaging channels), so a namespace lives in one Redis
 * Cluster slot. The namespace goes through the injective `encodeIdentityToken`.
 */
export function namespaceTag(prefix: string, namespace: string): string {
  return `{${prefix}:${encodeIdentityToken(namespace)}}`;
}
