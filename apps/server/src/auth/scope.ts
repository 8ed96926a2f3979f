/** What an API key may do. `admin` implies every other scope. */
export const SCOPES = [
  'register',
  'heartbeat',
  'unregister',
  'enumerate',
  'multicast',
  'subscribe',
  'watch',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

/** Scopes whose calls act as one identity, which a key's identity pattern must match. */
export const IDENTITY_SCOPES: ReadonlySet<Scope> = new Set([
  'register',
  'heartbeat',
  'unregister',
  'subscribe',
]);
