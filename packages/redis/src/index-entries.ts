import type { Metadata } from '@muster/core';
import type { Path } from '@muster/filter';
import type { NamespaceKeys } from './namespace-keys.js';

/** One zset entry an indexed path gives a record. */
export interface IndexEntry {
  readonly key: string;
  readonly score: number;
  readonly member: string;
}

/**
 * The index entries of one record for the indexed paths: a presence entry when the path
 * resolves, and for the value (or each element of an array value, one level, as the filter
 * language reads candidates): an equality entry per scalar but null, a numeric zset entry per
 * number and a lex entry per string.
 */
export function indexEntries(
  keys: NamespaceKeys,
  identity: string,
  metadata: Metadata,
  paths: readonly Path[],
): IndexEntry[] {
  const entries: IndexEntry[] = [];
  const seen = new Set<string>();
  const add = (key: string, score: number, member: string) => {
    const id = `${key}\u0000${member}`;
    if (seen.has(id)) return;
    seen.add(id);
    entries.push({ key, score, member });
  };
  for (const path of paths) {
    const value = valueAt(metadata, path);
    if (value === undefined) continue;
    add(keys.present(path), 0, identity);
    const candidates = Array.isArray(value) ? value : [value];
    let numbers = 0;
    for (const candidate of candidates) {
      const typed = typedValue(candidate);
      if (typed === undefined) continue;
      add(keys.equal(path, typed), 0, identity);
      if (typeof candidate === 'number') {
        // A zset holds a member once: further numbers of an array get suffixed members.
        add(
          keys.numbers(path),
          candidate,
          numbers === 0 ? identity : `${identity}\u0000${numbers}`,
        );
        numbers++;
      } else if (typeof candidate === 'string') {
        add(keys.strings(path), 0, `${candidate}\u0000${identity}`);
      }
    }
  }
  return entries;
}

/** The key part naming a scalar with its type (`1 == 1.0`, `"1" != 1`); undefined for others. */
export function typedValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s:${value}`;
    case 'number':
      return `n:${String(value)}`;
    case 'boolean':
      return `b:${String(value)}`;
    default:
      return undefined;
  }
}

/** The value at a path, walking objects only (as the filter language does). */
export function valueAt(metadata: Metadata, path: Path): unknown {
  let value: unknown = metadata;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
