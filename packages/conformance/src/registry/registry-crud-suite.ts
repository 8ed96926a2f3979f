// Guarantees: put (create) stores a record that reads return unchanged, a second create of a live
// identity fails with ALREADY_EXISTS and changes nothing, delete removes and returns the record
// (then nothing), and count / namespaces reflect what is stored.
import type { Metadata } from '@muster/core';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

/** Metadata that tends to lose something on the way through a backend. */
const RICH_METADATA: Metadata = {
  text: 'héllo 😀 \uffff "quoted" \\ back',
  empty: '',
  zero: 0,
  fraction: 0.1,
  negative: -2.5,
  big: 1e21,
  beyondInt53: 2 ** 53 + 2,
  yes: true,
  no: false,
  nothing: null,
  list: [1, 'two', null, [3], { four: 4 }],
  emptyList: [],
  nested: { deeper: { deepest: ['x'] }, emptyObject: {} },
  'rack-id': 'R12',
  "o'k": 'quote in key',
  constructor: 'not a prototype',
};

export function registryCrudSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('crud: put (create) stores a record that get returns unchanged', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud');
      const now = Date.now();
      const record = makeRecord('device-1', RICH_METADATA, now);
      const result = await slot.put(namespace, record, { mode: 'create' }, now);
      expect(result.record).toEqual(record);
      expect(result.previous, 'a create replaces nothing').toBeUndefined();
      expect(await slot.get(namespace, 'device-1', now)).toEqual(record);
      expect(await slot.count(namespace, now)).toBe(1);
      expect(await slot.namespaces()).toContain(namespace);
    });
  });

  test('crud: a second create of a live identity fails with ALREADY_EXISTS and changes nothing', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-exists');
      const now = Date.now();
      const first = makeRecord('device-1', { version: 1 }, now);
      await slot.put(namespace, first, { mode: 'create' }, now);
      await expectMusterError(
        slot.put(
          namespace,
          makeRecord('device-1', { version: 2 }, now + 1),
          { mode: 'create' },
          now + 1,
        ),
        'ALREADY_EXISTS',
        'put (create) of a live identity',
      );
      expect(await slot.get(namespace, 'device-1', now + 1)).toEqual(first);
      expect(await slot.count(namespace, now + 1)).toBe(1);
    });
  });

  test('crud: get of an identity that was never stored is undefined', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-missing');
      const now = Date.now();
      expect(await slot.get(namespace, 'nobody', now)).toBeUndefined();
      await slot.put(namespace, makeRecord('somebody'), { mode: 'create' }, now);
      expect(await slot.get(namespace, 'nobody', now)).toBeUndefined();
      expect(await slot.get(namespace, 'somebody-else', now)).toBeUndefined();
    });
  });

  test('crud: delete returns the removed record, which every read then misses', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-delete');
      const now = Date.now();
      const record = makeRecord('device-1', { a: 1 }, now);
      await slot.put(namespace, record, { mode: 'create' }, now);
      await slot.put(namespace, makeRecord('device-2', { a: 2 }, now), { mode: 'create' }, now);
      expect(await slot.delete(namespace, 'device-1', now)).toEqual(record);
      expect(await slot.get(namespace, 'device-1', now)).toBeUndefined();
      expect(await slot.count(namespace, now)).toBe(1);
      const page = await slot.enumerate(namespace, query(), now);
      expect(identities(page.items)).toEqual(['device-2']);
      expect(await slot.delete(namespace, 'device-1', now), 'deleting twice').toBeUndefined();
      expect(await slot.delete(namespace, 'never-stored', now)).toBeUndefined();
    });
  });

  test('crud: a deleted identity can be created again, as a new registration', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-recreate');
      const now = Date.now();
      await slot.put(namespace, makeRecord('device-1', { v: 1 }, now), { mode: 'create' }, now);
      await slot.delete(namespace, 'device-1', now + 1);
      const again = makeRecord('device-1', { v: 2 }, now + 2);
      const result = await slot.put(namespace, again, { mode: 'create' }, now + 2);
      expect(result.record).toEqual(again);
      expect(result.previous).toBeUndefined();
      expect(await slot.get(namespace, 'device-1', now + 2)).toEqual(again);
    });
  });

  test('crud: count is the number of live identities', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-count');
      const now = Date.now();
      expect(await slot.count(namespace, now)).toBe(0);
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          slot.put(namespace, makeRecord(`id-${i}`, { i }, now), { mode: 'create' }, now),
        ),
      );
      expect(await slot.count(namespace, now)).toBe(25);
      await slot.delete(namespace, 'id-3', now);
      expect(await slot.count(namespace, now)).toBe(24);
    });
  });

  test('crud: enumerate without metadata returns empty metadata objects', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('crud-no-metadata');
      const now = Date.now();
      const record = makeRecord('device-1', { a: 1, b: { c: [2] } }, now, now + 3_600_000);
      await slot.put(namespace, record, { mode: 'create' }, now);
      const bare = await slot.enumerate(namespace, query({ includeMetadata: false }), now);
      expect(bare.items).toEqual([{ ...record, metadata: {} }]);
      const full = await slot.enumerate(namespace, query({ includeMetadata: true }), now);
      expect(full.items).toEqual([record]);
    });
  });
}
