// Guarantees (supports.watch): `watch` delivers the namespace's changes in order, with their
// records: registered (record), updated (record, and previous when known), unregistered, and
// expired exactly once per expired identity even with concurrent sweepers; nothing for writes
// that failed or for other namespaces; nothing after unsubscribing.
import type { RegistryChange } from '@muster/core';
import { expect } from 'vitest';
import { collectChanges } from '../support/collect-changes.js';
import { makeRecord } from '../support/make-record.js';
import { timeControlFor } from '../support/time-control.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

function summary(events: readonly RegistryChange[]): string[] {
  return events.map((event) => `${event.type}:${event.identity}`);
}

export function registryChangeEventsSuite(context: RegistrySuiteContext): void {
  const { test } = context;

  test('change events: registered, updated and unregistered, in order, with records', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('changes');
      const log = await collectChanges(slot, namespace);
      const t0 = Date.now();
      const first = makeRecord('device-1', { v: 1 }, t0);
      const second = makeRecord('device-1', { v: 2 }, t0 + 1);
      await slot.put(namespace, first, { mode: 'create' }, t0);
      await slot.put(namespace, second, { mode: 'replace' }, t0 + 1);
      await slot.delete(namespace, 'device-1', t0 + 2);
      await log.until(3, 'register, replace, delete');
      await log.stop();
      expect(summary(log.events)).toEqual([
        'registered:device-1',
        'updated:device-1',
        'unregistered:device-1',
      ]);
      const [registered, updated, unregistered] = log.events;
      const replaced = { ...second, registeredAt: t0 };
      expect(registered!.record).toEqual(first);
      expect(updated!.record).toEqual(replaced);
      if (updated!.previous !== undefined) expect(updated!.previous).toEqual(first);
      if (unregistered!.previous !== undefined) expect(unregistered!.previous).toEqual(replaced);
      for (const event of log.events) {
        expect(event.namespace).toBe(namespace);
        expect(typeof event.at).toBe('number');
      }
    });
  });

  test('change events: a replace that creates is registered; a failed create emits nothing', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('changes-failed');
      const log = await collectChanges(slot, namespace);
      const now = Date.now();
      await slot.put(namespace, makeRecord('a', {}, now), { mode: 'replace' }, now);
      await slot
        .put(namespace, makeRecord('a', { again: true }, now), { mode: 'create' }, now)
        .catch(() => undefined);
      await slot.delete(namespace, 'never-there', now);
      await slot.put(namespace, makeRecord('marker', {}, now), { mode: 'create' }, now);
      await log.until(2, 'the replace and the marker');
      await sleep(50);
      await log.stop();
      expect(summary(log.events)).toEqual(['registered:a', 'registered:marker']);
    });
  });

  test('change events: other namespaces are not seen; nothing arrives after unsubscribing', async () => {
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('changes-mine');
      const other = uniqueNamespace('changes-other');
      const log = await collectChanges(slot, namespace);
      const now = Date.now();
      await slot.put(other, makeRecord('theirs', {}, now), { mode: 'create' }, now);
      await slot.put(namespace, makeRecord('mine', {}, now), { mode: 'create' }, now);
      await log.until(1, 'my registration');
      await log.stop();
      await slot.put(namespace, makeRecord('after-stop', {}, now), { mode: 'create' }, now);
      await sleep(50);
      expect(summary(log.events)).toEqual(['registered:mine']);
    });
  });

  test('change events: each expired identity is reported exactly once, even with concurrent sweeps', async () => {
    await withRegistry(context, async (slot) => {
      const t = timeControlFor(context.supports.clock);
      const namespace = uniqueNamespace('changes-expired');
      const t0 = t.now();
      const ids = Array.from({ length: 20 }, (_, i) => `exp-${i}`);
      await Promise.all(
        ids.map((id) =>
          slot.put(namespace, makeRecord(id, {}, t0, t0 + t.ttlMs), { mode: 'create' }, t0),
        ),
      );
      const log = await collectChanges(slot, namespace);
      await t.advance(t.ttlMs + t.marginMs);
      await Promise.all([
        slot.sweep(namespace, t.now(), 1_000),
        slot.sweep(namespace, t.now(), 1_000),
      ]);
      // Under native TTL the backend reports expiries on its own schedule.
      await log.until(ids.length, 'one expired event per identity');
      await sleep(50);
      await slot.sweep(namespace, t.now(), 1_000);
      await sleep(50);
      await log.stop();
      const expired = log.events
        .filter((event) => event.type === 'expired')
        .map((event) => event.identity);
      expect(expired.sort()).toEqual([...ids].sort());
      for (const event of log.events) {
        expect(event.namespace).toBe(namespace);
        // The expired record, when the backend knows it, is the one that was registered.
        if (event.previous !== undefined) expect(event.previous.identity).toBe(event.identity);
        if (event.record !== undefined) expect(event.record.identity).toBe(event.identity);
      }
      expect(summary(log.events).filter((entry) => !entry.startsWith('expired:'))).toEqual([]);
    });
  });
}
