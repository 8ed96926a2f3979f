import { encodeIdentityToken, MusterError } from '@muster/core';

const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Checks a subject prefix: plain tokens only, so no prefix can carry a wildcard. */
export function checkSubjectPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `subjectPrefix must be tokens of [A-Za-z0-9_-] joined by ".", not ${JSON.stringify(prefix)}`,
      { details: { field: 'subjectPrefix' } },
    );
  return prefix;
}

/**
 * `<prefix>.<namespace token>.` : the start of every messaging subject of a namespace. Namespace
 * and identity are encoded with `encodeIdentityToken` (`[A-Za-z0-9_-]`, injective), so no
 * identity can add a token (`.`) or a wildcard (`*`, `>`).
 */
export function messagingSubjectBase(prefix: string, namespace: string): string {
  return `${prefix}.${encodeIdentityToken(namespace)}.`;
}

/** `<prefix>.q.<namespace token>.` : the start of every durable queue subject of a namespace. */
export function queueSubjectBase(prefix: string, namespace: string): string {
  return `${prefix}.q.${encodeIdentityToken(namespace)}.`;
}

/**
 * The JetStream stream of a namespace: `<prefix token>_Q_<namespace token>`. Tokens never hold
 * `_Q` (an `_` always starts `_XX` with hex digits), so the name is injective, and never holds
 * `.`, `*`, `>` or whitespace, which stream names forbid.
 */
export function streamName(prefix: string, namespace: string): string {
  return `${encodeIdentityToken(prefix)}_Q_${encodeIdentityToken(namespace)}`;
}

/** `<prefix>.n.<namespace token>.` : "messages are waiting" notifications of a namespace. */
export function notifySubjectBase(prefix: string, namespace: string): string {
  return `${prefix}.n.${encodeIdentityToken(namespace)}.`;
}
