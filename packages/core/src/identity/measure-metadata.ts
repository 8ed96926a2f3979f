/** What `measureMetadata` found. */
export interface MetadataMeasure {
  /** False when some value breaks the metadata rules (`validateMetadata` says which). */
  readonly valid: boolean;
  /**
   * The size of `JSON.stringify(metadata)` in UTF-8 bytes: exact with `exact`, otherwise an upper
   * bound (6 bytes per string unit, 25 per number) that costs nothing to compute. Meaningful only
   * when valid and not too deep.
   */
  readonly bytes: number;
  /** When the nesting went beyond `maxDepth`: the path to the container that did. */
  readonly tooDeepAt?: readonly (string | number)[];
}

class Invalid {}
const INVALID = new Invalid();

class TooDeep {
  constructor(readonly path: readonly (string | number)[]) {}
}

/** The longest `String(n)` of a finite number, e.g. "-1.7976931348623157e+308" (24). */
const NUMBER_BOUND = 25;

/** Keys already found valid: key names repeat across registrations, checking them is not free. */
const knownKeys = new Set<string>();
const KNOWN_KEYS_MAX = 4096;

/**
 * One pass over metadata that applies the same rules as @muster/filter's `validateMetadata`
 * (a property test keeps the two in agreement) while sizing the UTF-8 JSON and checking the
 * nesting depth (the root object is depth 1). It stops descending beyond `maxDepth`, so cycles
 * and absurd nesting end as `tooDeepAt` instead of a stack overflow. The caller runs
 * `validateMetadata` only when this says `valid: false`, for its error. Without `exact` no string
 * is scanned in JavaScript: native checks and a size bound are several times faster.
 */
export function measureMetadata(
  metadata: unknown,
  maxDepth: number,
  exact = false,
): MetadataMeasure {
  if (!isPlainObject(metadata)) return { valid: false, bytes: 0 };
  const walk: Walk = { maxDepth, exact, ownOnly: inheritsEnumerable(), trail: [] };
  try {
    return { valid: true, bytes: objectBytes(metadata, 1, walk) };
  } catch (problem) {
    if (problem === INVALID) return { valid: false, bytes: 0 };
    if (problem instanceof TooDeep) return { valid: true, bytes: 0, tooDeepAt: problem.path };
    throw problem;
  }
}

interface Walk {
  readonly maxDepth: number;
  readonly exact: boolean;
  /** Object.prototype has enumerable properties (polluted): for-in must skip inherited keys. */
  readonly ownOnly: boolean;
  readonly trail: (string | number)[];
}

function objectBytes(object: Record<string, unknown>, depth: number, walk: Walk): number {
  if (depth > walk.maxDepth) throw new TooDeep([...walk.trail]);
  let count = 0;
  let bytes = 0;
  // for-in reads properties through V8's enum cache, much faster than Object.keys + object[key];
  // it visits own keys in the same order, and the prototype is Object.prototype or null.
  for (const key in object) {
    if (walk.ownOnly && !Object.hasOwn(object, key)) continue;
    if (!knownKeys.has(key)) checkKey(key);
    bytes +=
      (walk.exact ? escapedUtf8Bytes(key) : key.length * 6) +
      valueBytes(object[key], depth, walk, key);
    count++;
  }
  // Braces, plus per key: two quotes and a colon, plus the commas between entries.
  return bytes + (count === 0 ? 2 : 1 + count * 4);
}

function valueBytes(value: unknown, depth: number, walk: Walk, at: string | number): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value, walk.exact) + 2;
    case 'number':
      if (!Number.isFinite(value)) throw INVALID;
      return walk.exact ? String(value).length : NUMBER_BOUND;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      walk.trail.push(at);
      let bytes: number;
      if (Array.isArray(value)) bytes = arrayBytes(value, depth + 1, walk);
      else if (isPlainObject(value)) bytes = objectBytes(value, depth + 1, walk);
      else throw INVALID;
      walk.trail.pop();
      return bytes;
    }
    default:
      throw INVALID;
  }
}

function arrayBytes(array: readonly unknown[], depth: number, walk: Walk): number {
  if (depth > walk.maxDepth) throw new TooDeep([...walk.trail]);
  const length = array.length;
  let bytes = length === 0 ? 2 : 1 + length;
  for (let i = 0; i < length; i++) {
    const item = array[i];
    // A hole reads as undefined, which is refused like an explicit undefined.
    if (item === undefined) throw INVALID;
    bytes += valueBytes(item, depth, walk, i);
  }
  return bytes;
}

function checkKey(key: string): void {
  if (key.length === 0 || key.charCodeAt(0) === 0x24 || key.includes('.')) throw INVALID;
  if (key.includes('\u0000') || !key.isWellFormed()) throw INVALID;
  if (knownKeys.size >= KNOWN_KEYS_MAX) knownKeys.clear();
  knownKeys.add(key);
}

/** The escaped UTF-8 bytes of a string's content, or its bound; INVALID for NUL or a lone surrogate. */
function stringBytes(text: string, exact: boolean): number {
  if (text.includes('\u0000') || !text.isWellFormed()) throw INVALID;
  return exact ? escapedUtf8Bytes(text) : text.length * 6;
}

function escapedUtf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x80) bytes += unit === 0x22 || unit === 0x5c ? 2 : 1;
    else if (unit < 0x20)
      bytes += unit === 8 || unit === 9 || unit === 10 || unit === 12 || unit === 13 ? 2 : 6;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      // Well-formed: a high surrogate is always followed by a low one (4 bytes together).
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
