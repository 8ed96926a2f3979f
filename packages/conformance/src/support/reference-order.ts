import type { IdentityRecord, SortKey } from '@muster/core';
import type { Path } from '@muster/filter';

/**
 * The kit's own statement of the order every registry must page in (kept independent of any
 * adapter's helpers): sort keys in turn, then identity ascending. Values of a metadata path order
 * as missing < null < false < true < numbers (numerically) < strings (by code point) < arrays
 * and objects (equal among themselves).
 */
export function referenceOrder(
  records: readonly IdentityRecord[],
  sort: readonly SortKey[],
): IdentityRecord[] {
  return [...records].sort((a, b) => {
    for (const key of sort) {
      const order = compareByField(a, b, key);
      if (order !== 0) return key.direction === 'desc' ? -order : order;
    }
    return compareCodePoints(a.identity, b.identity);
  });
}

function compareByField(a: IdentityRecord, b: IdentityRecord, key: SortKey): number {
  const by = key.by;
  if ('field' in by) {
    if (by.field === 'identity') return compareCodePoints(a.identity, b.identity);
    return a.registeredAt - b.registeredAt;
  }
  return compareValues(valueAt(a.metadata, by.path), valueAt(b.metadata, by.path));
}

const MISSING = Symbol('missing');

function valueAt(metadata: Readonly<Record<string, unknown>>, path: Path): unknown {
  let value: unknown = metadata;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return MISSING;
    if (!Object.hasOwn(value, key)) return MISSING;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function rank(value: unknown): number {
  if (value === MISSING) return 0;
  if (value === null) return 1;
  if (value === false) return 2;
  if (value === true) return 3;
  if (typeof value === 'number') return 4;
  if (typeof value === 'string') return 5;
  return 6;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 4) return (a as number) - (b as number);
  if (ra === 5) return compareCodePoints(a as string, b as string);
  return 0;
}

/** Code point order (UTF-16 unit order puts astral characters before U+E000..U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
