import { compile, nodes, parse } from '@muster/filter';
import { describe, expect, test } from 'vitest';
import type { EnumerateRequest, Muster } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import type { IdentityRecord } from '../../src/slots/identity-record.js';
import { TestRegistry } from './support/slots.js';
import { useMusters } from './support/use-musters.js';

const open = useMusters();

function metadataFor(i: number) {
  return {
    n: i,
    kind: i % 3 === 0 ? 'gateway' : 'sensor',
    battery: (i % 10) / 10,
    location: { floor: i % 4, building: `B${i % 2}` },
    ...(i % 5 === 0 ? { tags: ['gps'] } : {}),
  };
}

async function seeded(count: number, registry?: TestRegistry): Promise<Muster> {
  const muster = open(registry === undefined ? {} : { registry });
  for (let i = 0; i < count; i++)
    await muster.register('ns', {
      identity: `id-${String(i).padStart(3, '0')}`,
      metadata: metadataFor(i),
    });
  return muster;
}

async function walk(muster: Muster, request: EnumerateRequest): Promise<IdentityRecord[]> {
  const all: IdentityRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await muster.enumerate('ns', { ...request, ...(cursor ? { cursor } : {}) });
    expect(page.identities.length).toBeLessThanOrEqual(request.limit ?? 100);
    all.push(...page.identities);
    cursor = page.nextCursor;
    if (++pages > 1000) throw new Error('the walk does not end');
  } while (cursor !== undefined);
  return all;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (MusterError.is(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('enumerate', { timeout: 10_000 }, () => {
  test('default limit, identity order, metadata included', async () => {
    const muster = await seeded(150);
    const page = await muster.enumerate('ns');
    expect(page.identities).toHaveLength(100);
    expect(page.identities[0]).toMatchObject({ identity: 'id-000', metadata: metadataFor(0) });
    expect(page.nextCursor).toBeDefined();
    const rest = await muster.enumerate('ns', { cursor: page.nextCursor! });
    expect(rest.identities.map((r) => r.identity)).toEqual(
      Array.from({ length: 50 }, (_, i) => `id-${100 + i}`),
    );
  });

  test('limit must be 1..enumerateMaxLimit; the namespace can change both', async () => {
    const muster = open({
      namespaces: { small: { enumerateDefaultLimit: 2, enumerateMaxLimit: 5 } },
    });
    for (let i = 0; i < 6; i++) await muster.register('small', { identity: `a${i}` });
    expect((await muster.enumerate('small')).identities).toHaveLength(2);
    expect((await muster.enumerate('small', { limit: 5 })).identities).toHaveLength(5);
    for (const limit of [0, 6, 1.5, -1]) {
      const error = await muster.enumerate('small', { limit }).catch((e: unknown) => e);
      expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as MusterError).details.field).toBe('limit');
    }
    expect(await codeOf(muster.enumerate('ns', { limit: 1001 }))).toBe('INVALID_ARGUMENT');
  });

  test('the three filter forms give the same answer', async () => {
    const muster = await seeded(60);
    const expected = Array.from({ length: 60 }, (_, i) => i)
      .filter((i) => (i % 10) / 10 < 0.3 && i % 3 !== 0)
      .map((i) => `id-${String(i).padStart(3, '0')}`);
    const forms = [
      'battery < 0.3 and kind == "sensor"',
      { 'battery.lt': 0.3, kind: 'sensor' },
      parse('battery < 0.3 and kind == "sensor"'),
      JSON.parse('{"battery.lt": 0.3, "kind": "sensor"}'),
    ];
    for (const filter of forms) {
      const page = await muster.enumerate('ns', { filter, limit: 1000 });
      expect(page.identities.map((r) => r.identity)).toEqual(expected);
    }
  });

  test('a JSON-form object with a "kind" key is a filter, not an AST, unless frozen', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a', metadata: { kind: 'eq' } });
    await muster.register('ns', { identity: 'b', metadata: { kind: 'all' } });
    const page = await muster.enumerate('ns', { filter: JSON.parse('{"kind": "all"}') });
    expect(page.identities.map((r) => r.identity)).toEqual(['b']);
    const all = await muster.enumerate('ns', { filter: nodes.all() });
    expect(all.identities).toHaveLength(2);
  });

  test('a bad filter is INVALID_FILTER with the FilterError as cause and its location', async () => {
    const muster = open();
    const error = await muster
      .enumerate('ns', { filter: 'battery_level < ' })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_FILTER')).toBe(true);
    const details = (error as MusterError).details as { location?: { column: number } };
    expect(details.location?.column).toBe(17);
    expect((error as MusterError).cause).toMatchObject({ name: 'FilterError' });
    for (const filter of [{ 'a.lt': true }, 42, null, { $or: [] }]) {
      expect(await codeOf(muster.enumerate('ns', { filter: filter as never }))).toBe(
        'INVALID_FILTER',
      );
    }
  });

  test('filter limits apply to strings, JSON and hand-built ASTs, per namespace', async () => {
    const muster = open({ namespaces: { tight: { filterLimits: { maxComparisons: 2 } } } });
    const three = 'a == 1 and b == 2 and c == 3';
    expect(await codeOf(muster.enumerate('tight', { filter: three }))).toBe('INVALID_FILTER');
    await muster.enumerate('ns', { filter: three });
    const ast = nodes.and([nodes.eq(['a'], 1), nodes.eq(['b'], 2), nodes.eq(['c'], 3)]);
    const error = await muster.enumerate('tight', { filter: ast }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_FILTER')).toBe(true);
    expect((error as MusterError).details.limit).toBe('maxComparisons');
    let deep = nodes.eq(['a'], 1) as ReturnType<typeof nodes.and>;
    for (let i = 0; i < 6; i++) deep = nodes.not(nodes.or([deep, nodes.eq(['b'], i)]));
    expect(await codeOf(muster.enumerate('ns', { filter: deep }))).toBe('INVALID_FILTER');
    const many = nodes.in(
      ['a'],
      Array.from({ length: 1001 }, (_, i) => i),
    );
    expect(await codeOf(muster.enumerate('ns', { filter: many }))).toBe('INVALID_FILTER');
  });

  test('sort by a metadata path, registered_at or identity, with identity breaking ties', async () => {
    const muster = await seeded(20);
    const byFloor = await muster.enumerate('ns', {
      sort: [{ by: 'location.floor', direction: 'desc' }],
      includeMetadata: false,
    });
    const expected = Array.from({ length: 20 }, (_, i) => i)
      .sort((a, b) => (b % 4) - (a % 4) || a - b)
      .map((i) => `id-${String(i).padStart(3, '0')}`);
    expect(byFloor.identities.map((r) => r.identity)).toEqual(expected);
    expect(byFloor.identities[0]!.metadata).toEqual({});
    const byIdentity = await muster.enumerate('ns', {
      sort: [{ by: 'identity', direction: 'desc' }],
    });
    expect(byIdentity.identities[0]!.identity).toBe('id-019');
    const byTime = await muster.enumerate('ns', { sort: [{ by: 'registered_at' }] });
    expect(byTime.identities).toHaveLength(20);
  });

  test('quoted path segments in sort; malformed specs are INVALID_ARGUMENT', async () => {
    const muster = open();
    await muster.register('ns', { identity: 'a', metadata: { 'rack-id': 2, identity: 'z' } });
    await muster.register('ns', { identity: 'b', metadata: { 'rack-id': 1, identity: 'y' } });
    const page = await muster.enumerate('ns', { sort: [{ by: '"rack-id"' }] });
    expect(page.identities.map((r) => r.identity)).toEqual(['b', 'a']);
    const quoted = await muster.enumerate('ns', { sort: [{ by: '"identity"' }] });
    expect(quoted.identities.map((r) => r.identity)).toEqual(['b', 'a']);
    for (const sort of [
      [{ by: 'a exists or b' }],
      [{ by: 'rack-id' }],
      [{ by: '' }],
      [{ by: 'a', direction: 'up' }],
      [{}],
      'battery',
      Array.from({ length: 9 }, () => ({ by: 'a' })),
    ]) {
      expect(await codeOf(muster.enumerate('ns', { sort: sort as never }))).toBe(
        'INVALID_ARGUMENT',
      );
    }
  });

  test('UNSUPPORTED for metadata sorts and totalCount when the registry lacks them', async () => {
    const registry = new TestRegistry({ supports: { sort: false, count: false } });
    const muster = open({ registry });
    await muster.register('ns', { identity: 'a' });
    const sortError = await muster
      .enumerate('ns', { sort: [{ by: 'battery' }] })
      .catch((e: unknown) => e);
    expect(MusterError.is(sortError, 'UNSUPPORTED')).toBe(true);
    expect(await codeOf(muster.enumerate('ns', { totalCount: true }))).toBe('UNSUPPORTED');
    // Identity and registered_at sorts are always supported.
    await muster.enumerate('ns', { sort: [{ by: 'registered_at', direction: 'desc' }] });
  });

  test('totalCount counts every match, not the page', async () => {
    const muster = await seeded(30);
    const page = await muster.enumerate('ns', {
      filter: 'kind == "gateway"',
      limit: 3,
      totalCount: true,
    });
    expect(page.identities).toHaveLength(3);
    expect(page.totalCount).toBe(10);
    expect((await muster.enumerate('ns', { limit: 3 })).totalCount).toBeUndefined();
  });

  test('other arguments are checked', async () => {
    const muster = open();
    for (const request of [
      { cursor: '' },
      { cursor: 5 },
      { includeMetadata: 'no' },
      { totalCount: 1 },
    ]) {
      expect(await codeOf(muster.enumerate('ns', request as never))).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('pagination walks', { timeout: 10_000 }, () => {
  const filters = [
    undefined,
    'kind == "sensor" and battery < 0.5',
    'tags contains "gps"',
    'n >= 190',
    'n == 1000',
  ];
  const registries = {
    exact: () => undefined,
    partial: () => new TestRegistry({ supports: { filter: 'partial' }, superset: true }),
    none: () => new TestRegistry({ supports: { filter: 'none' }, superset: true }),
  };

  for (const [mode, make] of Object.entries(registries)) {
    test(`every match exactly once, any page size, ${mode} registry`, async () => {
      const muster = await seeded(200, make());
      for (const filter of filters) {
        const matches = compile(filter === undefined ? nodes.all() : parse(filter));
        const expected = Array.from({ length: 200 }, (_, i) => i)
          .filter((i) => matches(metadataFor(i)))
          .map((i) => `id-${String(i).padStart(3, '0')}`);
        for (const limit of [1, 3, 7, 64, 1000]) {
          for (const includeMetadata of [true, false]) {
            const request: EnumerateRequest = {
              limit,
              includeMetadata,
              ...(filter === undefined ? {} : { filter }),
            };
            const records = await walk(muster, request);
            expect(records.map((r) => r.identity)).toEqual(expected);
            if (!includeMetadata) for (const r of records) expect(r.metadata).toEqual({});
            else for (const r of records.slice(0, 3)) expect(r.metadata).toHaveProperty('n');
          }
        }
      }
    });
  }

  test('a refined page is as full as the limit allows, and counts exactly', async () => {
    const registry = new TestRegistry({ supports: { filter: 'partial' }, superset: true });
    const muster = await seeded(200, registry);
    const page = await muster.enumerate('ns', {
      filter: 'tags contains "gps"',
      limit: 7,
      totalCount: true,
    });
    expect(page.identities.map((r) => r.metadata.n)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(page.totalCount).toBe(40);
    const next = await muster.enumerate('ns', {
      filter: 'tags contains "gps"',
      limit: 2,
      cursor: page.nextCursor!,
    });
    expect(next.identities.map((r) => r.metadata.n)).toEqual([35, 40]);
  });

  test('refined walks with a metadata sort', async () => {
    const registry = new TestRegistry({ supports: { filter: 'none' }, superset: true });
    const muster = await seeded(100, registry);
    const records = await walk(muster, {
      filter: 'kind == "gateway"',
      sort: [{ by: 'location.floor' }, { by: 'n', direction: 'desc' }],
      limit: 4,
    });
    const expected = Array.from({ length: 100 }, (_, i) => i)
      .filter((i) => i % 3 === 0)
      .sort((a, b) => (a % 4) - (b % 4) || b - a);
    expect(records.map((r) => r.metadata.n)).toEqual(expected);
  });
});
