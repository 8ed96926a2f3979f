import { Query } from 'mingo';
import type { FilterNode, LeafNode } from '../../src/ast/filter-node.js';
import { isLeaf } from '../../src/ast/filter-node.js';
import { compareCodePoints } from '../../src/evaluate/compare-code-points.js';
import { resolvePath } from '../../src/evaluate/resolve-path.js';

/**
 * Runs toMongo's queries on mingo (a JavaScript implementation of MongoDB's query language) as a
 * second opinion. mingo is not MongoDB: the shapes where it departs from the MongoDB manual are
 * recognised by `mingoDivergence` and left out of comparisons, and `$regex` patterns (PCRE syntax,
 * which MongoDB uses) are translated token by token into equivalent JavaScript regexes.
 */
export function mingoMatches(
  query: Record<string, unknown>,
  documents: readonly Record<string, unknown>[],
): boolean[] {
  const compiled = new Query(forMingo(query) as never);
  return documents.map((document) => compiled.test(plainCopy(document) as never));
}

/** Wraps metadata the way toMongo expects it stored (default field `metadata`). */
export function storedDocument(
  metadata: Record<string, unknown>,
  field = 'metadata',
): Record<string, unknown> {
  const parts = field.split('.');
  let document: Record<string, unknown> = metadata;
  for (let i = parts.length - 1; i >= 0; i--) document = { [parts[i]!]: document };
  return document;
}

/**
 * mingo's hashing (used by `$in`) crashes on an object whose `constructor` is not a named
 * function: a null-prototype object (fast-check makes those) or one with its own `constructor` key
 * (a generated key). So documents become plain-prototype copies, and every key that shadows an
 * Object.prototype property is renamed, in documents and query paths alike: a bijection on keys,
 * which changes no answer.
 */
function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(copy, renameKey(key), {
      value: plainCopy(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function renameKey(key: string): string {
  return key in Object.prototype ? `mingo-renamed:${key}` : key;
}

function forMingo(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forMingo);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$options') throw new Error('toMongo never emits $options');
    const renamed = key.startsWith('$') ? key : key.split('.').map(renameKey).join('.');
    copy[renamed] =
      key === '$regex' && typeof inner === 'string' ? pcreToJsRegex(inner) : forMingo(inner);
  }
  return copy;
}

/**
 * PCRE (UTF mode, no options) to a JavaScript `u` regex with the same meaning, for the tokens
 * toMongo emits: `\A` and `\z` are the subject's ends, which JavaScript's `^` and `$` are without
 * the `m` flag (JavaScript's `$` never matches before a final newline); `\x{HEX}` is a code point
 * (`\u{HEX}`); `\` before ASCII punctuation is that character (written `\u{HEX}`, the one
 * escape JavaScript's `u` mode accepts for any punctuation, in a class or not). An unescaped `$`
 * keeps PCRE's meaning (end, or before a final newline). Any other escape, or a `.` (whose
 * newline rule depends on PCRE's build), is a bug.
 */
export function pcreToJsRegex(pattern: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char !== '\\') {
      if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if (char === '.' && !inClass)
        throw new Error(`unexpected . in ${JSON.stringify(pattern)}`);
      // PCRE's `$` (no options) also matches before a final newline; JavaScript's does not.
      out += char === '$' && !inClass ? '(?=\\n?$)' : char;
      continue;
    }
    const next = pattern[++i];
    if (next === 'A') out += '^';
    else if (next === 'z') out += '$';
    else if (next === 'x' && pattern[i + 1] === '{') {
      const close = pattern.indexOf('}', i);
      out += `\\u{${pattern.slice(i + 2, close)}}`;
      i = close;
    } else if (next !== undefined && /[!-/:-@[-`{-~]/.test(next)) {
      out += `\\u{${next.charCodeAt(0).toString(16)}}`;
    } else throw new Error(`unexpected escape \\${next} in ${JSON.stringify(pattern)}`);
  }
  return new RegExp(out, 'u');
}

/**
 * Why mingo's answer for this filter on this metadata may differ from MongoDB's, or undefined when
 * it may not. Each reason is a place where mingo 7.x departs from the MongoDB manual:
 *
 * - `type-element`: "For documents where field is an array, $type returns documents in which at
 *   least one array element matches the type passed to $type" (manual, $type, "Arrays"); mingo
 *   tests only the array itself, so `{a: {$type: "string"}}` is false on `["x"]`.
 * - `nested-array`: `$eq` (also `$eq: null`), `$elemMatch` and `$regex` on an array look at its elements, one level
 *   (manual, "Query an Array": the field "contains an element" matching; an element that is itself
 *   an array is compared as a whole); mingo also flattens nested arrays, so `{a: "x"}` matches
 *   `[["x"]]` there.
 * - `utf16-order`: strings compare by "simple binary comparison" (manual, "Comparison/Sort Order",
 *   with the simple collation), i.e. UTF-8 bytes, i.e. code points; mingo uses JavaScript's `<`
 *   (UTF-16 units), which puts astral characters before U+E000..U+FFFF.
 */
export function mingoDivergence(
  ast: FilterNode,
  metadata: Record<string, unknown>,
): string | undefined {
  for (const leaf of leaves(ast)) {
    const value = resolvePath(leaf.path)(metadata);
    const reason = leafDivergence(leaf, value);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function leafDivergence(leaf: LeafNode, value: unknown): string | undefined {
  switch (leaf.kind) {
    case 'type':
      if (
        leaf.type !== 'array' &&
        Array.isArray(value) &&
        value.some((element) => hasType(element, leaf.type))
      ) {
        return 'type-element';
      }
      return undefined;
    case 'eq':
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'matches':
      return Array.isArray(value) && value.some(Array.isArray) ? 'nested-array' : undefined;
    case 'in':
      // `in` with null compiles its null part to `$eq: null`; mingo's `$in` itself does not flatten.
      return leaf.values.includes(null) && Array.isArray(value) && value.some(Array.isArray)
        ? 'nested-array'
        : undefined;
    case 'range': {
      const bound = leaf.value;
      if (typeof bound !== 'string') return undefined;
      const candidates = Array.isArray(value) ? value : [value];
      const differs = candidates.some(
        (candidate) =>
          typeof candidate === 'string' &&
          Math.sign(compareCodePoints(candidate, bound)) !==
            Math.sign(utf16Compare(candidate, bound)),
      );
      return differs ? 'utf16-order' : undefined;
    }
    default:
      return undefined;
  }
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'null') return value === null;
  if (type === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

function utf16Compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function leaves(node: FilterNode): LeafNode[] {
  if (isLeaf(node)) return [node];
  if (node.kind === 'not') return leaves(node.child);
  if (node.kind === 'all') return [];
  return node.children.flatMap(leaves);
}
