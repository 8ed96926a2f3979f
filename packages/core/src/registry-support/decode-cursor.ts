import { Buffer } from 'node:buffer';
import { MusterError } from '../errors/muster-error.js';
import { COMPOSITE, type SortValue } from './sort-value.js';

/** Longest cursor accepted, in characters: room for sort values read from 64 KiB of metadata. */
export const MAX_CURSOR_LENGTH = 1 << 20;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes a cursor made by `encodeCursor`. With `length`, the cursor must hold exactly that many
 * values (one per sort key). The last value must be a string (the identity). Anything else,
 * including text that is not base64url JSON, is INVALID_ARGUMENT (`details.field: 'cursor'`).
 */
export function decodeCursor(text: string, length?: number): SortValue[] {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_LENGTH)
    throw malformed('it is not a non-empty string of reasonable length');
  if (!BASE64URL.test(text)) throw malformed('it is not base64url');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw malformed('it does not decode to JSON', error);
  }
  if (!Array.isArray(json) || json.length === 0) throw malformed('it holds no position');
  if (length !== undefined && json.length !== length)
    throw malformed(`it holds ${json.length} values where this sort needs ${length}`);
  const values: SortValue[] = new Array(json.length);
  for (let i = 0; i < json.length; i++) values[i] = decodeValue(json[i]);
  if (typeof values[values.length - 1] !== 'string') throw malformed('it names no identity');
  return values;
}

function decodeValue(value: unknown): SortValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      break;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) {
        if (value.length === 0) return COMPOSITE;
      } else if (Object.keys(value).length === 0) return undefined;
      break;
  }
  throw malformed('it holds a value that is not a sort value');
}

function malformed(reason: string, cause?: unknown): MusterError {
  return new MusterError('INVALID_ARGUMENT', `malformed cursor: ${reason}`, {
    details: { field: 'cursor' },
    ...(cause === undefined ? {} : { cause }),
  });
}
