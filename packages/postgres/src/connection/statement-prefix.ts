import { createHash } from 'node:crypto';

/**
 * `muster_<kind>_<16 hex digits>_`: the start of a prepared statement's name. Names are per
 * connection and PostgreSQL cuts them at 63 bytes, so the scope (the schema, and the table where
 * one schema holds several) goes in as a hash: short, whatever its length, and apart from any
 * other scope sharing the pool.
 */
export function statementPrefix(kind: string, scope: readonly string[]): string {
  const digest = createHash('sha256').update(scope.join('\u0000')).digest('hex');
  return `muster_${kind}_${digest.slice(0, 16)}_`;
}
