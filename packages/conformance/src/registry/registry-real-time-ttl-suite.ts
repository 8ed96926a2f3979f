// Guarantees (every adapter, whatever its clock): with real time and `now = Date.now()`, an
// identity registered with a short TTL disappears from reads once the TTL has passed, and is
// removed for good (by a sweep, or by the backend itself under native TTL).
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryRealTimeTtlSuite(context: RegistrySuiteContext): void {
  context.test('ttl (real time): a 300 ms registration is gone 450 ms later', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('ttl-real');
      const t0 = Date.now();
      await slot.put(namespace, makeRecord('blink', {}, t0, t0 + 300), { mode: 'create' }, t0);
      await slot.put(namespace, makeRecord('stay', {}, t0, t0 + 60_000), { mode: 'create' }, t0);
      expect(await slot.get(namespace, 'blink', Date.now())).toBeDefined();
      await sleep(450);
      expect(await slot.get(namespace, 'blink', Date.now())).toBeUndefined();
      expect(await slot.count(namespace, Date.now())).toBe(1);
      const swept = await slot.sweep(namespace, Date.now(), 100);
      const sweptIds = swept.map((record) => record.identity);
      if (context.supports.ttl === 'sweep') expect(sweptIds).toEqual(['blink']);
      else expect(sweptIds.filter((id) => id !== 'blink')).toEqual([]);
      expect(await slot.get(namespace, 'stay', Date.now())).toBeDefined();
    });
  });
}
