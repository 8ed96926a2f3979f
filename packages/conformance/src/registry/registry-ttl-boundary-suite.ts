// Guarantees (adapters that take the caller's clock): expiry is exact to the millisecond: a
// record is live while now < expiresAt and expired from now >= expiresAt, for every read.
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { identities, query } from '../support/walk-enumerate.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryTtlBoundarySuite(context: RegistrySuiteContext): void {
  context.test('ttl boundary: live at expiresAt - 1, expired at expiresAt', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('ttl-boundary');
      const t0 = Date.UTC(2030, 0, 1);
      const expiresAt = t0 + 1_000;
      await slot.put(namespace, makeRecord('edge', {}, t0, expiresAt), { mode: 'create' }, t0);
      const before = expiresAt - 1;
      expect(await slot.get(namespace, 'edge', before)).toBeDefined();
      expect(await slot.count(namespace, before)).toBe(1);
      expect(identities((await slot.enumerate(namespace, query(), before)).items)).toEqual([
        'edge',
      ]);
      expect(await slot.touch(namespace, 'edge', expiresAt, before)).toBeDefined();
      expect(await slot.get(namespace, 'edge', expiresAt)).toBeUndefined();
      expect(await slot.count(namespace, expiresAt)).toBe(0);
      expect((await slot.enumerate(namespace, query(), expiresAt)).items).toEqual([]);
      expect(await slot.touch(namespace, 'edge', expiresAt + 10_000, expiresAt)).toBeUndefined();
    });
  });
}
