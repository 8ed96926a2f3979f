import { encodeIdentityToken } from '@muster/core';
import type { Path } from '@muster/filter';
import { namespaceTag } from './namespace-tag.js';

/**
 * The keys of one namespace. Every key starts with the hash tag `{prefix:namespace}` (the
 * namespace through the injective `encodeIdentityToken`), so a namespace lives in one Redis
 * Cluster slot and every script can touch all of them; scripts get them in KEYS, never build
 * them.
 */
export interface NamespaceKeys {
  /** Hash: identity -> stored record (`registeredAt,updatedAt,expiresAt|metadata`). */
  readonly records: string;
  /** Zset, all scores 0: every stored identity, in byte (= code point) order. */
  readonly members: string;
  /** Zset: identity scored by expiresAt, for identities with a TTL. */
  readonly expiry: string;
  /** Stream of change events (watch). */
  readonly events: string;
  /** Hash with the index config version `v`. */
  readonly config: string;
  /** Set of indexed paths (JSON arrays). */
  readonly indexedPaths: string;
  /** Set of indexed paths whose backfill finished. */
  readonly readyPaths: string;
  /** Zset, scores 0: identities whose value at `path` (or an element of it) equals the value. */
  equal(path: Path, typedValue: string): string;
  /** Zset, scores 0: identities for which `path` resolves. */
  present(path: Path): string;
  /** Zset: identity (`identity\0n` for further elements) scored by a number at `path`. */
  numbers(path: Path): string;
  /** Zset, scores 0: `value\0identity` for each string at `path`, for prefixes and string ranges. */
  strings(path: Path): string;
}

export function namespaceKeys(prefix: string, namespace: string): NamespaceKeys {
  const tag = namespaceTag(prefix, namespace);
  // Writes build these keys for every indexed path of every record: encode each path once.
  const tokens = new Map<string, string>();
  const pathToken = (path: Path) => {
    const json = JSON.stringify(path);
    let token = tokens.get(json);
    if (token === undefined) {
      token = encodeIdentityToken(json);
      tokens.set(json, token);
    }
    return token;
  };
  return {
    records: `${tag}:records`,
    members: `${tag}:members`,
    expiry: `${tag}:expiry`,
    events: `${tag}:events`,
    config: `${tag}:index-config`,
    indexedPaths: `${tag}:index-paths`,
    readyPaths: `${tag}:index-ready`,
    equal: (path, typedValue) => `${tag}:eq:${pathToken(path)}:${typedValue}`,
    present: (path) => `${tag}:exists:${pathToken(path)}`,
    numbers: (path) => `${tag}:num:${pathToken(path)}`,
    strings: (path) => `${tag}:str:${pathToken(path)}`,
  };
}

/** The set of namespace names (for the sweeper); its own slot, written outside the scripts. */
export function namespacesKey(prefix: string): string {
  return `{${prefix}}:namespaces`;
}
