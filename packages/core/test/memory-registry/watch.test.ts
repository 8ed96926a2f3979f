import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import type { RegistryChange } from '../../src/slots/registry-slot.js';
import { record } from './support.js';

const T = 1_000_000;

describe('memory registry: change events', () => {
  it('delivers registered, updated (with previous), unregistered and expired synchronously', async () => {
    const registry = createMemoryRegistry();
    const changes: RegistryChange[] = [];
    await registry.watch!('ns', (change) => changes.push(change));

    const first = record('x', { v: 1 }, T, 100);
    const put = registry.put('ns', first, { mode: 'create' }, T);
    expect(changes).toHaveLength(1); // before the promise settles: synchronous
    await put;
    const { record: second } = await registry.put(
      'ns',
      record('x', { v: 2 }, T + 10, 100),
      { mode: 'replace' },
      T + 10,
    );
    await registry.delete('ns', 'x', T + 20);
    await registry.put('ns', record('y', {}, T + 20, 5), { mode: 'create' }, T + 20);
    await registry.sweep('ns', T + 30, 10);

    expect(changes).toEqual([
      { type: 'registered', namespace: 'ns', identity: 'x', record: first, at: T },
      {
        type: 'updated',
        namespace: 'ns',
        identity: 'x',
        record: second,
        previous: first,
        at: T + 10,
      },
      { type: 'unregistered', namespace: 'ns', identity: 'x', previous: second, at: T + 20 },
      {
        type: 'registered',
        namespace: 'ns',
        identity: 'y',
        record: record('y', {}, T + 20, 5),
        at: T + 20,
      },
      {
        type: 'expired',
        namespace: 'ns',
        identity: 'y',
        previous: record('y', {}, T + 20, 5),
        at: T + 30,
      },
    ]);
  });

  it('emits nothing for failed writes, heartbeats, reads or no-op deletes', async () => {
    const registry = createMemoryRegistry();
    await registry.put('ns', record('x', {}, T, 100), { mode: 'create' }, T);
    const changes: RegistryChange[] = [];
    await registry.watch!('ns', (change) => changes.push(change));
    await expect(registry.put('ns', record('x', {}, T), { mode: 'create' }, T)).rejects.toThrow();
    await expect(
      registry.put('ns', record('y', {}, T), { mode: 'create', quota: 1 }, T),
    ).rejects.toThrow();
    await registry.touch('ns', 'x', T + 500, T);
    await registry.touchMany('ns', [{ identity: 'x', expiresAt: T + 600 }], T);
    await registry.get('ns', 'x', T);
    await registry.delete('ns', 'missing', T);
    await registry.sweep('ns', T + 200, 10);
    expect(changes).toEqual([]);
  });

  it('scopes listeners to their namespace and lets several watch and unwatch', async () => {
    const registry = createMemoryRegistry();
    const a: string[] = [];
    const b: string[] = [];
    const twice: string[] = [];
    const listener = (change: RegistryChange) => twice.push(change.identity);
    const stopA = await registry.watch!('a', (change) => a.push(change.identity));
    await registry.watch!('b', (change) => b.push(change.identity));
    const stopTwice1 = await registry.watch!('a', listener);
    await registry.watch!('a', listener);

    await registry.put('a', record('1', {}, T), { mode: 'create' }, T);
    await registry.put('b', record('2', {}, T), { mode: 'create' }, T);
    await stopA();
    await stopTwice1();
    await stopTwice1(); // idempotent
    await registry.put('a', record('3', {}, T), { mode: 'create' }, T);

    expect(a).toEqual(['1']);
    expect(b).toEqual(['2']);
    expect(twice).toEqual(['1', '1', '3']);
  });

  it('survives throwing listeners: the write succeeds and other listeners still hear it', async () => {
    const errors: unknown[] = [];
    const registry = createMemoryRegistry({
      onListenerError: (error, change) => {
        errors.push([String(error), change.identity]);
        throw new Error('the handler fails too');
      },
    });
    const heard: string[] = [];
    await registry.watch!('ns', () => {
      throw new Error('listener bug');
    });
    await registry.watch!('ns', (change) => heard.push(`${change.type}:${change.identity}`));
    await registry.put('ns', record('x', {}, T, 10), { mode: 'create' }, T);
    await registry.put('ns', record('x', { v: 2 }, T), { mode: 'replace' }, T);
    await registry.delete('ns', 'x', T);
    await registry.put('ns', record('y', {}, T, 10), { mode: 'create' }, T);
    expect(await registry.sweep('ns', T + 10, 10)).toHaveLength(1);
    expect(heard).toEqual([
      'registered:x',
      'updated:x',
      'unregistered:x',
      'registered:y',
      'expired:y',
    ]);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toEqual(['Error: listener bug', 'x']);
    expect(await registry.count('ns', T)).toBe(0);
  });

  it('lets a listener write to the registry while events are delivered', async () => {
    const registry = createMemoryRegistry();
    const seen: string[] = [];
    await registry.watch!('ns', (change) => {
      seen.push(`${change.type}:${change.identity}`);
      if (change.type === 'expired')
        void registry.put(
          'ns',
          record(`${change.identity}-again`, {}, T + 100),
          { mode: 'create' },
          T + 100,
        );
    });
    for (const id of ['a', 'b', 'c'])
      await registry.put('ns', record(id, {}, T, 10), { mode: 'create' }, T);
    const swept = await registry.sweep('ns', T + 100, 10);
    expect(swept.map((item) => item.identity).sort()).toEqual(['a', 'b', 'c']);
    expect(await registry.count('ns', T + 100)).toBe(3);
    expect(seen.filter((entry) => entry.startsWith('expired'))).toHaveLength(3);
  });

  it('is shared by everyone using the instance (two coordinators, one backend)', async () => {
    const registry = createMemoryRegistry();
    const first: string[] = [];
    const second: string[] = [];
    await registry.watch!('ns', (change) => first.push(change.identity));
    await registry.watch!('ns', (change) => second.push(change.identity));
    await registry.put('ns', record('x', {}, T, 10), { mode: 'create' }, T);
    await Promise.all([registry.sweep('ns', T + 10, 10), registry.sweep('ns', T + 10, 10)]);
    expect(first).toEqual(['x', 'x']);
    expect(second).toEqual(['x', 'x']);
  });
});
