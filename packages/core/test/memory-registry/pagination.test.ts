import { type FilterNode, parse } from '@muster/filter';
import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import { encodeCursor } from '../../src/registry-support/encode-cursor.js';
import type { IdentityRecord, Metadata } from '../../src/slots/identity-record.js';
import type { RegistrySlot, SortKey } from '../../src/slots/registry-slot.js';
import { ALL, query, record, rejection, walk } from './support.js';

const T = Date.UTC(2026, 0, 1);

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- An independent reference of the documented order, to check the registry against. ----

function codePoints(text: string): number[] {
  return Array.from(text, (character) => character.codePointAt(0)!);
}

function referenceStrings(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** missing < null < false < true < numbers < strings < arrays and objects (all equal). */
function referenceValues(a: unknown, b: unknown): number {
  const rank = (value: unknown) =>
    value === undefined
      ? 0
      : value === null
        ? 1
        : value === false
          ? 2
          : value === true
            ? 3
            : typeof value === 'number'
              ? 4
              : typeof value === 'string'
                ? 5
                : 6;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 4) return (a as number) - (b as number);
  if (ra === 5) return referenceStrings(a as string, b as string);
  return 0;
}

function read(metadata: Metadata, path: readonly string[]): unknown {
  let value: unknown = metadata;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function referenceOrder(records: IdentityRecord[], sort: readonly SortKey[]): IdentityRecord[] {
  return [...records].sort((a, b) => {
    for (const key of sort) {
      const by = key.by;
      const order =
        'path' in by
          ? referenceValues(read(a.metadata, by.path), read(b.metadata, by.path))
          : by.field === 'identity'
            ? referenceStrings(a.identity, b.identity)
            : a.registeredAt - b.registeredAt;
      if (order !== 0) return key.direction === 'desc' ? -order : order;
    }
    return referenceStrings(a.identity, b.identity);
  });
}

// ---- Data: values of every type, duplicates, nesting, non-ASCII identities. ----

function metadataFor(i: number, next: () => number): Metadata {
  const pick = Math.floor(next() * 12);
  const n =
    pick === 0
      ? undefined
      : pick === 1
        ? null
        : pick === 2
          ? next() < 0.5
          : pick === 3
            ? `s${Math.floor(next() * 30)}`
            : pick === 4
              ? [Math.floor(next() * 3)]
              : pick === 5
                ? { v: i }
                : Math.floor(next() * 200) - 100 + (next() < 0.2 ? 0.5 : 0);
  const metadata: Record<string, unknown> = {
    group: i % 7,
    name: `name-${Math.floor(next() * 500)}`,
    nested: next() < 0.8 ? { x: Math.floor(next() * 40) } : 'flat',
  };
  if (n !== undefined) metadata.n = n;
  return metadata;
}

function identityFor(i: number): string {
  if (i % 500 === 1) return `id-\uFFFD-${i}`; // after U+E000..U+FFFF...
  if (i % 500 === 2) return `id-\u{1F600}-${i}`; // ...astral characters sort later still
  if (i % 500 === 3) return `id-é-${i}`;
  return i % 3 === 0 ? `id-${i}` : `ID_${String(i).padStart(5, '0')}`;
}

async function populate(count: number, seed: number): Promise<[RegistrySlot, IdentityRecord[]]> {
  const registry = createMemoryRegistry();
  const next = random(seed);
  const records: IdentityRecord[] = [];
  const order = Array.from({ length: count }, (_, i) => i).sort(() => next() - 0.5);
  for (const i of order) {
    const at = T + (i % 50);
    const item = record(
      identityFor(i),
      metadataFor(i, next),
      at,
      i % 11 === 0 ? 1_000_000 : undefined,
    );
    await registry.put('ns', item, { mode: 'create' }, at);
    records.push(item);
  }
  return [registry, records];
}

const SORTS: Record<string, SortKey[]> = {
  'identity (default)': [],
  'identity desc': [{ by: { field: 'identity' }, direction: 'desc' }],
  'registeredAt asc': [{ by: { field: 'registeredAt' }, direction: 'asc' }],
  'registeredAt desc': [{ by: { field: 'registeredAt' }, direction: 'desc' }],
  'n asc (mixed types)': [{ by: { path: ['n'] }, direction: 'asc' }],
  'n desc (mixed types)': [{ by: { path: ['n'] }, direction: 'desc' }],
  'name asc, registeredAt desc': [
    { by: { path: ['name'] }, direction: 'asc' },
    { by: { field: 'registeredAt' }, direction: 'desc' },
  ],
  'nested.x desc, identity desc': [
    { by: { path: ['nested', 'x'] }, direction: 'desc' },
    { by: { field: 'identity' }, direction: 'desc' },
  ],
};

const FILTERS: Record<string, FilterNode> = {
  'no filter': ALL,
  'group == 3': parse('group == 3'),
  'n is number and n < 0 or name startswith "name-1"': parse(
    '(n is number and n < 0) or name startswith "name-1"',
  ),
};

describe('memory registry: pagination walks', async () => {
  const now = T + 100;
  const [registry, records] = await populate(3000, 42);

  for (const [filterName, filter] of Object.entries(FILTERS))
    for (const [sortName, sort] of Object.entries(SORTS))
      it(`${filterName}, sorted by ${sortName}: pages of 1, 7 and 100 return every match once, in order`, async () => {
        const predicate =
          filter === ALL ? () => true : (await import('@muster/filter')).compile(filter);
        const expected = referenceOrder(
          records.filter((item) => predicate(item.metadata)),
          sort,
        ).map((item) => item.identity);
        expect(expected.length).toBeGreaterThan(filter === ALL ? 2999 : 50);
        for (const limit of [1, 7, 100]) {
          const items = await walk(registry, 'ns', query({ filter, sort, limit }), now);
          expect(items.map((item) => item.identity)).toEqual(expected);
        }
      });

  it('carries metadata only when asked, and the total count when asked', async () => {
    const filter = FILTERS['group == 3']!;
    const expected = records.filter((item) => item.metadata.group === 3).length;
    const bare = await registry.enumerate(
      'ns',
      query({ filter, includeMetadata: false, totalCount: true, limit: 10 }),
      now,
    );
    expect(bare.items).toHaveLength(10);
    expect(bare.items.every((item) => Object.keys(item.metadata).length === 0)).toBe(true);
    expect(bare.totalCount).toBe(expected);
    const full = await registry.enumerate('ns', query({ filter, limit: 10 }), now);
    expect(full.totalCount).toBeUndefined();
    expect(full.items.map((item) => item.identity)).toEqual(
      bare.items.map((item) => item.identity),
    );
    expect(full.items.every((item) => item.metadata.group === 3)).toBe(true);
    const sorted = await registry.enumerate(
      'ns',
      query({
        filter,
        sort: SORTS['n desc (mixed types)']!,
        includeMetadata: false,
        totalCount: true,
        limit: 5,
      }),
      now,
    );
    expect(sorted.totalCount).toBe(expected);
    expect(sorted.items.every((item) => Object.keys(item.metadata).length === 0)).toBe(true);
    const all = await registry.enumerate('ns', query({ totalCount: true, limit: 1 }), now);
    expect(all.totalCount).toBe(3000);
    // the identities with a TTL (i % 11 === 0) expire at T + 1_000_000 + (i % 50)
    const later = await registry.enumerate(
      'ns',
      query({ totalCount: true, limit: 1 }),
      T + 2_000_000,
    );
    expect(later.totalCount).toBe(3000 - Math.ceil(3000 / 11));
  });

  it('omits nextCursor on the last page, even when it is exactly full', async () => {
    const local = createMemoryRegistry();
    for (let i = 0; i < 10; i++)
      await local.put('ns', record(`x${i}`, { i }, T), { mode: 'create' }, T);
    const page = await local.enumerate('ns', query({ limit: 10 }), T);
    expect(page.items).toHaveLength(10);
    expect(page.nextCursor).toBeUndefined();
    const sorted = await local.enumerate(
      'ns',
      query({ limit: 10, sort: [{ by: { path: ['i'] }, direction: 'desc' }] }),
      T,
    );
    expect(sorted.items.map((item) => item.identity)[0]).toBe('x9');
    expect(sorted.nextCursor).toBeUndefined();
    const first = await local.enumerate('ns', query({ limit: 9 }), T);
    expect(first.nextCursor).toBeDefined();
    const empty = await local.enumerate('missing', query({ totalCount: true }), T);
    expect(empty).toEqual({ items: [], exact: true, totalCount: 0 });
  });

  it('rejects malformed and foreign cursors with INVALID_ARGUMENT', async () => {
    const page = await registry.enumerate('ns', query({ limit: 5 }), now);
    const identityCursor = page.nextCursor!;
    const bad = ['', '%%%', 'bm90IGpzb24', encodeCursor([]), encodeCursor([1])];
    for (const cursor of bad) {
      const error = await rejection(
        registry.enumerate('ns', query({ cursor }), now),
        'INVALID_ARGUMENT',
      );
      expect(error.details.field).toBe('cursor');
    }
    // an identity-order cursor used with a two-key sort, and a cursor whose types do not fit
    await rejection(
      registry.enumerate(
        'ns',
        query({ cursor: identityCursor, sort: SORTS['registeredAt asc']! }),
        now,
      ),
      'INVALID_ARGUMENT',
    );
    await rejection(
      registry.enumerate(
        'ns',
        query({ cursor: encodeCursor(['x', 'id']), sort: SORTS['registeredAt asc']! }),
        now,
      ),
      'INVALID_ARGUMENT',
    );
    // a well-formed cursor naming a position that does not exist is fine: keyset semantics
    const between = await registry.enumerate(
      'ns',
      query({ cursor: encodeCursor(['ID_00000~']), limit: 1 }),
      now,
    );
    expect(between.items[0]?.identity).toBe('ID_00004'); // ID_00001..3 have other shapes
  });
});

describe('memory registry: pagination while things change', () => {
  it('identity order: no duplicates, and every identity present throughout appears once', async () => {
    const [registry] = await populate(2000, 7);
    const next = random(99);
    const seen = new Map<string, number>();
    const removed = new Set<string>();
    const added = new Set<string>();
    let cursor: string | undefined;
    let step = 0;
    do {
      const page = await registry.enumerate(
        'ns',
        query({ limit: 7, ...(cursor ? { cursor } : {}) }),
        T + 100,
      );
      for (const item of page.items) seen.set(item.identity, (seen.get(item.identity) ?? 0) + 1);
      cursor = page.nextCursor;
      // between pages: remove, add (before and after the cursor), replace and re-add
      const victim = identityFor(Math.floor(next() * 2000));
      if (await registry.delete('ns', victim, T + 100)) removed.add(victim);
      const fresh = next() < 0.5 ? `ID_${step}-new` : `zz-${step}`;
      await registry.put('ns', record(fresh, {}, T + 100), { mode: 'create' }, T + 100);
      added.add(fresh);
      await registry.put(
        'ns',
        record(identityFor(Math.floor(next() * 2000)), { v: step }, T + 100),
        { mode: 'replace' },
        T + 100,
      );
      step++;
    } while (cursor);
    for (const [identity, times] of seen) expect([identity, times]).toEqual([identity, 1]);
    for (let i = 0; i < 2000; i++) {
      const identity = identityFor(i);
      if (!removed.has(identity)) expect(seen.has(identity), identity).toBe(true);
    }
    expect([...added].some((identity) => seen.has(identity))).toBe(true);
  });

  it('metadata order: no crash, and identities never written meanwhile appear exactly once', async () => {
    const [registry, records] = await populate(1500, 11);
    const next = random(5);
    const touched = new Set<string>();
    const seen = new Map<string, number>();
    const sort = SORTS['n asc (mixed types)']!;
    let cursor: string | undefined;
    do {
      const page = await registry.enumerate(
        'ns',
        query({ limit: 13, sort, ...(cursor ? { cursor } : {}) }),
        T + 100,
      );
      for (const item of page.items) seen.set(item.identity, (seen.get(item.identity) ?? 0) + 1);
      cursor = page.nextCursor;
      const target = records[Math.floor(next() * records.length)]!.identity;
      touched.add(target);
      await registry.put(
        'ns',
        record(target, { n: Math.floor(next() * 200) - 100 }, T + 100),
        { mode: 'replace' },
        T + 100,
      );
      const gone = records[Math.floor(next() * records.length)]!.identity;
      touched.add(gone);
      await registry.delete('ns', gone, T + 100);
    } while (cursor);
    for (const item of records)
      if (!touched.has(item.identity))
        expect([item.identity, seen.get(item.identity)]).toEqual([item.identity, 1]);
  });

  it('sorted orders follow writes: replaced metadata moves, new identities appear, removed vanish', async () => {
    const registry = createMemoryRegistry();
    for (let i = 0; i < 20; i++)
      await registry.put(
        'ns',
        record(`x${i}`, { n: i }, T + i, i === 3 ? 50 : undefined),
        { mode: 'create' },
        T + i,
      );
    const sort = SORTS['n asc (mixed types)']!;
    const order = async (now: number) =>
      (await walk(registry, 'ns', query({ sort, limit: 6 }), now)).map((item) => item.identity);
    const expected = Array.from({ length: 20 }, (_, i) => `x${i}`);
    expect(await order(T + 20)).toEqual(expected);
    await registry.put('ns', record('x5', { n: 100 }, T + 20), { mode: 'replace' }, T + 20);
    await registry.put('ns', record('new', { n: -1 }, T + 20), { mode: 'create' }, T + 20);
    await registry.delete('ns', 'x0', T + 20);
    const moved = ['new', ...expected.filter((id) => id !== 'x0' && id !== 'x5'), 'x5'];
    expect(await order(T + 20)).toEqual(moved);
    // x3 expires at T + 53: gone from the cached order without any write
    expect(await order(T + 53)).toEqual(moved.filter((id) => id !== 'x3'));
    const newest = await registry.enumerate(
      'ns',
      query({ sort: SORTS['registeredAt desc']!, limit: 2 }),
      T + 20,
    );
    expect(newest.items.map((item) => item.identity)).toEqual(['new', 'x19']);
  });

  it('keeps identity order exact through interleaved bulk and single writes, deletes and reads', async () => {
    const registry = createMemoryRegistry();
    const next = random(2024);
    const live = new Set<string>();
    let counter = 0;
    for (let round = 0; round < 40; round++) {
      const adds = round % 5 === 0 ? 1500 : Math.floor(next() * 40);
      for (let k = 0; k < adds; k++) {
        const identity = `k${Math.floor(next() * 1e9).toString(36)}-${counter++}`;
        await registry.put('ns', record(identity, {}, T), { mode: 'create' }, T);
        live.add(identity);
      }
      const members = [...live];
      const deletes = Math.floor(next() * members.length * 0.3);
      for (let k = 0; k < deletes; k++) {
        const identity = members[Math.floor(next() * members.length)]!;
        await registry.delete('ns', identity, T);
        live.delete(identity);
      }
      // re-register a few deleted ones under the same identity
      if (round % 3 === 0 && members.length > 0) {
        const identity = members[0]!;
        if (!live.has(identity)) {
          await registry.put('ns', record(identity, {}, T), { mode: 'create' }, T);
          live.add(identity);
        }
      }
      const items = await walk(registry, 'ns', query({ limit: 97 }), T);
      expect(items.map((item) => item.identity)).toEqual([...live].sort(referenceStrings));
      const backwards = await walk(
        registry,
        'ns',
        query({ limit: 500, sort: SORTS['identity desc']! }),
        T,
      );
      expect(backwards.map((item) => item.identity)).toEqual(
        [...live].sort(referenceStrings).reverse(),
      );
    }
  });
});

describe('memory registry: enumerate cost', () => {
  it('a page from a cursor among 1,000,000 identities evaluates about one page of entries', async () => {
    const registry = createMemoryRegistry();
    let reads = 0;
    // One shared metadata object whose field counts how often the filter reads it.
    const metadata = Object.defineProperty({}, 'n', {
      enumerable: true,
      get() {
        reads++;
        return 1;
      },
    });
    const size = 1_000_000;
    for (let i = 0; i < size; i++)
      await registry.put(
        'ns',
        {
          identity: `d${String(i).padStart(7, '0')}`,
          metadata,
          registeredAt: T,
          updatedAt: T,
          expiresAt: null,
        },
        { mode: 'create' },
        T,
      );
    const filter = parse('n == 1');
    const cursor = encodeCursor(['d0600000']);
    await registry.enumerate('ns', query({ filter, limit: 100, cursor }), T); // builds the index once
    reads = 0;
    const page = await registry.enumerate('ns', query({ filter, limit: 100, cursor }), T);
    expect(page.items[0]!.identity).toBe('d0600001');
    expect(page.items).toHaveLength(100);
    expect(reads).toBeLessThanOrEqual(101); // 100 items and the look-ahead for nextCursor
    const next = await registry.enumerate(
      'ns',
      query({ filter, limit: 100, cursor: page.nextCursor! }),
      T,
    );
    expect(next.items[0]!.identity).toBe('d0600101');
    expect(reads).toBeLessThanOrEqual(202);
  });
});
