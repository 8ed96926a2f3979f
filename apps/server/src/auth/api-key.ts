import type { FilterNode } from '@muster/filter';
import type { Scope } from './scope.js';

/** One configured API key, ready to check requests against. */
export interface ApiKey {
  readonly name: string;
  /** sha256 of the bearer token, lower-case hex. */
  readonly tokenSha256: string;
  /** Namespaces the key may use; `*` for all. */
  readonly namespaces: readonly string[];
  readonly scopes: ReadonlySet<Scope>;
  /** Identities the key may register, heartbeat, unregister or subscribe as; undefined for any. */
  readonly identityPattern?: RegExp;
  readonly publisherFilter?: FilterNode;
  readonly visibleFields?: readonly string[];
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  readonly maxStreams?: number;
}
