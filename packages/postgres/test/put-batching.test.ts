// Puts made in the same turn share one statement: each must still get exactly the answer it
// would get alone, in call order (duplicates of one identity, create after create, replace after
// create, a value the database rejects next to good ones), and the batches must really form.
import { uniqueNamespace } from '@muster/conformance';
import { type IdentityRecord, MusterError } from '@muster/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createPostgresRegistry } from '../src/index.js';
import { splitPhases } from '../src/registry/put-batcher.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('batch');

function record(identity: string, now: number, metadata: Record<string, unknown> = {}) {
  return {
    identity,
    metadata,
    registeredAt: now,
    updatedAt: now,
    expiresAt: null,
  } satisfies IdentityRecord;
}

describe('splitPhases', () => {
  const cut = (identities: string, max: number) =>
    splitPhases(
      identities.split('').map((identity) => ({ item: { identity } })),
      max,
    ).map((phase) => phase.map((batch) => batch.map((waiting) => waiting.item.identity).join('')));

  it('starts a phase before a repeated identity and cuts phases into even batches', () => {
    expect(cut('abcde', 2)).toEqual([['ab', 'cd', 'e']]);
    expect(cut('abcdefg', 5)).toEqual([['abcd', 'efg']]);
    expect(cut('abcadb', 10)).toEqual([['abc'], ['adb']]);
    expect(cut('aaa', 10)).toEqual([['a'], ['a'], ['a']]);
    expect(cut('', 10)).toEqual([]);
  });
});

describe.skipIf(!reachable)('postgres: batched puts', () => {
  const registry = createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 4 });
  afterAll(async () => {
    await registry.close();
    await dropSchema(schema);
  });

  it('answers each put of one turn as if they ran one by one, in order', async () => {
    const namespace = uniqueNamespace('batch-order');
    const now = Date.now();
    const results = await Promise.allSettled([
      registry.put(namespace, record('a', now, { v: 1 }), { mode: 'create' }, now),
      registry.put(namespace, record('b', now, { v: 1 }), { mode: 'create' }, now),
      registry.put(namespace, record('a', now, { v: 2 }), { mode: 'create' }, now),
      registry.put(namespace, record('a', now + 1, { v: 3 }), { mode: 'replace' }, now + 1),
      registry.put(namespace, record('c', now, { v: 1 }), { mode: 'replace' }, now),
      registry.put(namespace, record('a', now + 2, { v: 4 }), { mode: 'replace' }, now + 2),
    ]);
    const [first, second, duplicate, replaced, third, again] = results;
    expect(first).toMatchObject({ status: 'fulfilled', value: { record: { identity: 'a' } } });
    expect((first as PromiseFulfilledResult<{ previous?: unknown }>).value.previous).toBe(
      undefined,
    );
    expect(second.status).toBe('fulfilled');
    expect(third.status).toBe('fulfilled');
    expect(duplicate.status).toBe('rejected');
    expect(MusterError.is((duplicate as PromiseRejectedResult).reason)).toBe(true);
    expect((duplicate as PromiseRejectedResult).reason.code).toBe('ALREADY_EXISTS');
    expect(replaced).toMatchObject({
      status: 'fulfilled',
      value: {
        record: { metadata: { v: 3 }, registeredAt: now, updatedAt: now + 1 },
        previous: { metadata: { v: 1 } },
      },
    });
    expect(again).toMatchObject({
      status: 'fulfilled',
      value: { record: { metadata: { v: 4 } }, previous: { metadata: { v: 3 } } },
    });
    expect((await registry.get(namespace, 'a', now + 3))?.metadata).toEqual({ v: 4 });
    expect(await registry.count(namespace, now + 3)).toBe(3);
  });

  it('stores the metadata as it was when put was called', async () => {
    const namespace = uniqueNamespace('batch-snapshot');
    const now = Date.now();
    const metadata: Record<string, unknown> = { v: 1 };
    const written = registry.put(namespace, record('s', now, metadata), { mode: 'create' }, now);
    metadata.v = 2; // before the batch is sent (it waits for the end of this turn)
    await written;
    expect((await registry.get(namespace, 's', now))?.metadata).toEqual({ v: 1 });
  });

  it('fails only the put whose value the database rejects', async () => {
    const namespace = uniqueNamespace('batch-reject');
    const now = Date.now();
    const results = await Promise.allSettled(
      ['x', 'y', 'z'].map((identity) =>
        registry.put(
          namespace,
          // jsonb refuses the NUL character: that put alone fails.
          record(identity, now, { name: identity === 'y' ? 'nul\u0000' : identity }),
          { mode: 'create' },
          now,
        ),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('INTERNAL');
    expect(await registry.count(namespace, now)).toBe(2);
  });

  it('shares statements between concurrent puts', async () => {
    const namespace = uniqueNamespace('batch-share');
    const now = Date.now();
    // Count the statements the adapter sends through its pool.
    const query = vi.spyOn(registry.pool, 'query');
    try {
      await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          registry.put(namespace, record(`device-${i}`, now), { mode: 'create' }, now),
        ),
      );
      expect(query.mock.calls.length).toBe(1);
    } finally {
      query.mockRestore();
    }
    expect(await registry.count(namespace, now)).toBe(400);
  });
});
