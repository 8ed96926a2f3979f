import { validateMetadata } from '../../validate/validate-metadata.js';

/**
 * The stored form of an empty array. cjson decodes `[]` and `{}` to the same empty table;
 * metadata keys never start with "$", so this object can never be real metadata.
 */
const EMPTY_ARRAY = Object.freeze({ $a: 0 });

/**
 * Encodes metadata as the string a Redis key must hold for LUA_FILTER_SCRIPT: JSON, except that
 * empty arrays become `{"$a":0}`. Numbers keep JavaScript's shortest round-trip digits, which
 * cjson decodes to the same double. Validates first (throws INVALID_METADATA), since a key
 * starting with "$" or a non-finite number would change answers silently.
 */
export function encodeMetadataForLua(metadata: Record<string, unknown>): string {
  validateMetadata(metadata);
  return encodeValidMetadataForLua(metadata);
}

/**
 * `encodeMetadataForLua` without the validation, for metadata that already passed
 * `validateMetadata` (or the Muster coordinator's equivalent checks): a registry's write path
 * need not walk the same metadata twice.
 */
export function encodeValidMetadataForLua(metadata: Record<string, unknown>): string {
  const json = JSON.stringify(metadata);
  // A replacer makes JSON.stringify call back for every value: only pay for it when the output
  // may hold an empty array (`[]` can also sit inside a string; the replacer leaves those alone).
  if (!json.includes('[]')) return json;
  return JSON.stringify(metadata, (_key, value: unknown) =>
    Array.isArray(value) && value.length === 0 ? EMPTY_ARRAY : value,
  );
}
