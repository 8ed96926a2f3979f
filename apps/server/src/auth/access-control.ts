import { createHash, timingSafeEqual } from 'node:crypto';
import { permissionDenied, rateLimited, unauthenticated } from '../errors/rpc-error.js';
import type { ApiKey } from './api-key.js';
import { ANONYMOUS, type Grant } from './grant.js';
import { IDENTITY_SCOPES, type Scope } from './scope.js';
import { TokenBucket } from './token-bucket.js';

/** Who may call what: `open` lets everyone do everything; `keys` checks bearer tokens. */
export interface AccessControl {
  readonly open: boolean;
  /**
   * Throws UNAUTHENTICATED (no or unknown token), PERMISSION_DENIED (namespace, scope or identity
   * not allowed; the message never says whether the namespace exists) or RESOURCE_EXHAUSTED (rate).
   */
  check(authorization: string | null, namespace: string, scope: Scope, identity?: string): Grant;
}

export const OPEN_ACCESS: AccessControl = Object.freeze({
  open: true,
  check: () => ANONYMOUS,
});

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** API keys: `Authorization: Bearer <token>`, looked up by the token's sha256. */
export function createKeyAccess(keys: readonly ApiKey[]): AccessControl {
  const byHash = new Map<string, { key: ApiKey; grant: Grant; bucket?: TokenBucket }>();
  for (const key of keys) {
    const grant: Grant = {
      keyName: key.name,
      ...(key.publisherFilter === undefined ? {} : { publisherFilter: key.publisherFilter }),
      ...(key.visibleFields === undefined ? {} : { visibleFields: key.visibleFields }),
      ...(key.maxStreams === undefined ? {} : { maxStreams: key.maxStreams }),
    };
    const bucket =
      key.rateLimit === undefined
        ? undefined
        : new TokenBucket(key.rateLimit.perSecond, key.rateLimit.burst);
    byHash.set(key.tokenSha256, { key, grant, ...(bucket === undefined ? {} : { bucket }) });
  }
  return {
    open: false,
    check(authorization, namespace, scope, identity) {
      const token = bearerToken(authorization);
      if (token === undefined)
        throw unauthenticated('missing credentials: send "Authorization: Bearer <api key>"');
      const hash = sha256Hex(token);
      const entry = byHash.get(hash);
      // The map lookup is by hash; compare again in constant time so timing says nothing.
      if (
        entry === undefined ||
        !timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(entry.key.tokenSha256, 'hex'))
      )
        throw unauthenticated('unknown API key');
      const { key, grant, bucket } = entry;
      if (!key.namespaces.includes('*') && !key.namespaces.includes(namespace))
        throw permissionDenied(`API key "${key.name}" may not use namespace "${namespace}"`);
      if (!key.scopes.has('admin') && !key.scopes.has(scope))
        throw permissionDenied(`API key "${key.name}" lacks the "${scope}" scope`);
      if (
        identity !== undefined &&
        IDENTITY_SCOPES.has(scope) &&
        key.identityPattern !== undefined &&
        !key.identityPattern.test(identity)
      )
        throw permissionDenied(`API key "${key.name}" may not act as identity "${identity}"`);
      if (bucket !== undefined && !bucket.take())
        throw rateLimited(`API key "${key.name}" is over its rate limit`, {
          retryAfterMs: bucket.retryAfterMs,
        });
      return grant;
    },
  };
}

function bearerToken(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
