import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import { ExpiryHeap } from '../../src/memory/registry/expiry-heap.js';
import { RegistryEntry } from '../../src/memory/registry/registry-entry.js';
import type { RegistryChange } from '../../src/slots/registry-slot.js';
import { query, record } from './support.js';

describe('memory registry: TTL expiry and sweep', () => {
  it('hides an expired identity from every read before any sweep', async () => {
    const clock = new ManualClock();
    const registry = createMemoryRegistry();
    const t0 = clock.now();
    await registry.put('ns', record('short', { k: 1 }, t0, 1000), { mode: 'create' }, t0);
    await registry.put('ns', record('forever', { k: 1 }, t0), { mode: 'create' }, t0);

    clock.advance(999);
    expect(await registry.get('ns', 'short', clock.now())).toBeDefined();
    expect(await registry.count('ns', clock.now())).toBe(2);

    clock.advance(1); // expiresAt <= now is expired
    const now = clock.now();
    expect(await registry.get('ns', 'short', now)).toBeUndefined();
    expect(await registry.count('ns', now)).toBe(1);
    const page = await registry.enumerate('ns', query({ totalCount: true }), now);
    expect(page.items.map((item) => item.identity)).toEqual(['forever']);
    expect(page.totalCount).toBe(1);
    const sorted = await registry.enumerate(
      'ns',
      query({ sort: [{ by: { field: 'registeredAt' }, direction: 'asc' }], totalCount: true }),
      now,
    );
    expect(sorted.items.map((item) => item.identity)).toEqual(['forever']);
    expect(sorted.totalCount).toBe(1);
    expect(await registry.touch('ns', 'short', now + 5000, now)).toBeUndefined();
    expect(
      await registry.touchMany('ns', [{ identity: 'short', expiresAt: now + 5000 }], now),
    ).toEqual(['short']);
    // delete of an expired identity reports nothing and leaves it to the sweep
    expect(await registry.delete('ns', 'short', now)).toBeUndefined();
    // the namespace still holds the record for the sweeper
    expect(await registry.namespaces()).toEqual(['ns']);
    const swept = await registry.sweep('ns', now, 100);
    expect(swept.map((item) => item.identity)).toEqual(['short']);
  });

  it('sweeps each expired identity exactly once, up to the limit, earliest first', async () => {
    const registry = createMemoryRegistry();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 10; i++)
      await registry.put('ns', record(`d${i}`, {}, t0, 100 + i * 10), { mode: 'create' }, t0);
    await registry.put('ns', record('keep', {}, t0), { mode: 'create' }, t0);

    expect(await registry.sweep('ns', t0 + 99, 100)).toEqual([]);
    const first = await registry.sweep('ns', t0 + 1000, 3);
    expect(first.map((item) => item.identity)).toEqual(['d0', 'd1', 'd2']);
    // concurrent sweeps split the rest between them without overlap
    const [a, b, c] = await Promise.all([
      registry.sweep('ns', t0 + 1000, 4),
      registry.sweep('ns', t0 + 1000, 4),
      registry.sweep('ns', t0 + 1000, 4),
    ]);
    const rest = [...a!, ...b!, ...c!].map((item) => item.identity);
    expect(rest.sort()).toEqual(['d3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9']);
    expect(await registry.sweep('ns', t0 + 1000, 100)).toEqual([]);
    expect(await registry.count('ns', t0 + 1000)).toBe(1);
    expect(await registry.sweep('other', t0 + 1000, 100)).toEqual([]);
  });

  it('returns the swept records as they were, with their expiresAt', async () => {
    const registry = createMemoryRegistry();
    const t0 = 1_000_000;
    const put = record('x', { a: 1 }, t0, 50);
    await registry.put('ns', put, { mode: 'create' }, t0);
    await registry.touch('ns', 'x', t0 + 80, t0 + 10);
    expect(await registry.sweep('ns', t0 + 80, 10)).toEqual([{ ...put, expiresAt: t0 + 80 }]);
    expect(await registry.namespaces()).toEqual([]);
  });

  it('emits expired exactly once, from the sweep or from overwriting an unswept record', async () => {
    const registry = createMemoryRegistry();
    const changes: RegistryChange[] = [];
    await registry.watch!('ns', (change) => changes.push(change));
    const t0 = 1_000_000;
    await registry.put('ns', record('a', {}, t0, 10), { mode: 'create' }, t0);
    await registry.put('ns', record('b', {}, t0, 10), { mode: 'create' }, t0);
    // 'b' is re-registered after expiring, before any sweep
    await registry.put('ns', record('b', { v: 2 }, t0 + 20), { mode: 'create' }, t0 + 20);
    await registry.sweep('ns', t0 + 20, 100);
    await registry.sweep('ns', t0 + 30, 100);
    const expired = changes.filter((change) => change.type === 'expired');
    expect(expired.map((change) => change.identity).sort()).toEqual(['a', 'b']);
    expect(expired.every((change) => change.previous?.expiresAt === t0 + 10)).toBe(true);
    expect(changes.map((change) => `${change.type}:${change.identity}`)).toEqual([
      'registered:a',
      'registered:b',
      'expired:b',
      'registered:b',
      'expired:a',
    ]);
    expect((await registry.get('ns', 'b', t0 + 30))?.metadata).toEqual({ v: 2 });
  });

  it('looks only at due entries: a sweep with nothing expired does no work per identity', async () => {
    const registry = createMemoryRegistry();
    const t0 = 1_000_000;
    for (let i = 0; i < 20_000; i++)
      await registry.put('ns', record(`d${i}`, {}, t0, 60_000 + (i % 100)), { mode: 'create' }, t0);
    await registry.put('ns', record('soon-1', {}, t0, 10), { mode: 'create' }, t0);
    await registry.put('ns', record('soon-2', {}, t0, 20), { mode: 'create' }, t0);
    const peek = vi.spyOn(ExpiryHeap.prototype, 'peek');
    expect(await registry.sweep('ns', t0 + 5, 1000)).toEqual([]);
    expect(peek.mock.calls.length).toBe(1);
    peek.mockClear();
    const swept = await registry.sweep('ns', t0 + 30, 1000);
    expect(swept.map((item) => item.identity)).toEqual(['soon-1', 'soon-2']);
    expect(peek.mock.calls.length).toBe(3);
    peek.mockRestore();
  });

  it('re-keys heartbeated identities lazily: they are swept at their new expiry, not before', async () => {
    const registry = createMemoryRegistry();
    const t0 = 1_000_000;
    for (let i = 0; i < 100; i++)
      await registry.put('ns', record(`d${i}`, {}, t0, 100), { mode: 'create' }, t0);
    const extended = Array.from({ length: 50 }, (_, i) => ({
      identity: `d${i * 2}`,
      expiresAt: t0 + 500,
    }));
    expect(await registry.touchMany('ns', extended, t0 + 50)).toEqual([]);
    const first = await registry.sweep('ns', t0 + 100, 1000);
    expect(first).toHaveLength(50);
    expect(first.every((item) => Number(item.identity.slice(1)) % 2 === 1)).toBe(true);
    expect(await registry.count('ns', t0 + 100)).toBe(50);
    expect(await registry.sweep('ns', t0 + 499, 1000)).toEqual([]);
    const second = await registry.sweep('ns', t0 + 500, 1000);
    expect(second).toHaveLength(50);
    expect(second.every((item) => item.expiresAt === t0 + 500)).toBe(true);
    expect(await registry.count('ns', t0 + 500)).toBe(0);
  });

  it('handles an expiry moved earlier, removed and restored', async () => {
    const registry = createMemoryRegistry();
    const t0 = 1_000_000;
    await registry.put('ns', record('earlier', {}, t0, 1000), { mode: 'create' }, t0);
    await registry.put('ns', record('never', {}, t0, 100), { mode: 'create' }, t0);
    await registry.put('ns', record('later', {}, t0), { mode: 'create' }, t0);
    expect((await registry.touch('ns', 'earlier', t0 + 50, t0))?.expiresAt).toBe(t0 + 50);
    expect((await registry.touch('ns', 'never', null, t0))?.expiresAt).toBeNull();
    expect((await registry.touch('ns', 'later', t0 + 70, t0))?.expiresAt).toBe(t0 + 70);
    expect((await registry.get('ns', 'earlier', t0 + 49))?.expiresAt).toBe(t0 + 50);
    expect(await registry.get('ns', 'earlier', t0 + 50)).toBeUndefined();
    const swept = await registry.sweep('ns', t0 + 100_000, 100);
    expect(swept.map((item) => item.identity)).toEqual(['earlier', 'later']);
    expect(await registry.get('ns', 'never', t0 + 100_000)).toBeDefined();
    // TTL given back after being removed
    await registry.touch('ns', 'never', t0 + 200_000, t0 + 100_000);
    expect((await registry.sweep('ns', t0 + 200_000, 100)).map((item) => item.identity)).toEqual([
      'never',
    ]);
  });

  it('keeps the expiry index bounded under heartbeats and churn', async () => {
    const registry = createMemoryRegistry();
    const t0 = 1_000_000;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2000; i++)
        await registry.put('ns', record(`r${round}-${i}`, {}, t0, 1000), { mode: 'create' }, t0);
      for (let i = 0; i < 2000; i++) await registry.delete('ns', `r${round}-${i}`, t0);
    }
    await registry.put('ns', record('last', {}, t0, 1000), { mode: 'create' }, t0);
    expect(await registry.count('ns', t0)).toBe(1);
    expect((await registry.sweep('ns', t0 + 1000, 100_000)).map((item) => item.identity)).toEqual([
      'last',
    ]);
  });
});

describe('ExpiryHeap', () => {
  const entry = (identity: string, expiresAt: number) =>
    new RegistryEntry({ identity, metadata: {}, registeredAt: 0, updatedAt: 0, expiresAt });

  it('pops in key order and counts due entries by visiting only them', () => {
    const heap = new ExpiryHeap();
    const keys = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    for (const key of keys) heap.push(entry(`e${key}`, key), key);
    let tested = 0;
    expect(
      heap.countDue(9, () => {
        tested++;
        return true;
      }),
    ).toBe(10);
    expect(tested).toBe(10);
    const popped: number[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) {
      expect(e.heapIndex).toBe(-1);
      popped.push(e.heapKey);
    }
    expect(popped).toEqual([...keys].sort((a, b) => a - b));
  });

  it('lowers, re-keys the top and rebuilds while keeping positions right', () => {
    const heap = new ExpiryHeap();
    const entries = Array.from({ length: 100 }, (_, i) => entry(`e${i}`, 1000 + i));
    for (const e of entries) heap.push(e, e.expiresAt!);
    heap.lower(entries[50]!, 5);
    expect(heap.peek()).toBe(entries[50]);
    heap.rekeyTop(2000);
    expect(heap.peek()).toBe(entries[0]);
    heap.rebuild((e) => (Number(e.identity.slice(1)) % 2 === 0 ? 3000 - e.heapKey : undefined));
    expect(heap.size).toBe(50);
    expect(entries[1]!.heapIndex).toBe(-1);
    expect(heap.peek()).toBe(entries[50]); // key 3000 - 2000
    const order: string[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) order.push(e.identity);
    expect(order[0]).toBe('e50');
    expect(order[1]).toBe('e98');
    expect(order.at(-1)).toBe('e0');
  });
});
