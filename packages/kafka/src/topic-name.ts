import { createHash } from 'node:crypto';
import { encodeIdentityToken } from '@muster/core';

/** Kafka's limit on topic name length. */
const MAX_TOPIC_LENGTH = 249;

/**
 * The topic of one namespace: `<prefix>.<kind>.<namespace token>`. The token is injective and
 * uses only `[A-Za-z0-9_-]` (never `.`), so two namespaces never share a topic and never trip
 * Kafka's rule that names differing only in `.` versus `_` collide. A name beyond Kafka's 249
 * characters ends in a SHA-256 of the namespace instead.
 */
export function topicName(prefix: string, kind: 'messages' | 'queue', namespace: string): string {
  const name = `${prefix}.${kind}.${encodeIdentityToken(namespace)}`;
  if (name.length <= MAX_TOPIC_LENGTH) return name;
  const digest = createHash('sha256').update(namespace, 'utf8').digest('hex');
  return `${prefix}.${kind}.sha256-${digest}`;
}

/** The key of an identity's records: its injective token (stable bytes, no lone surrogates). */
export const identityKey = encodeIdentityToken;
