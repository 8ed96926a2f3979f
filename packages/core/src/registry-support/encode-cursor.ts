import { Buffer } from 'node:buffer';
import { COMPOSITE, type SortValue } from './sort-value.js';

/**
 * Encodes a keyset position (the last item's sort values, identity last) as an opaque cursor:
 * base64url of a JSON array in which a missing value is `{}` and an array or object is `[]`
 * (the order treats all composites alike, so their content is not needed).
 */
export function encodeCursor(values: readonly SortValue[]): string {
  const json: unknown[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    json[i] = value === undefined ? MISSING : value === COMPOSITE ? COMPOSITE_JSON : value;
  }
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

const MISSING = Object.freeze({});
const COMPOSITE_JSON = Object.freeze([]);
