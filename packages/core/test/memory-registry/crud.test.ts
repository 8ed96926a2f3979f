import { FilterError, type FilterNode } from '@muster/filter';
import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import { MemoryRegistry } from '../../src/memory/registry/memory-registry.js';
import { MEMORY_REGISTRY_SUPPORTS } from '../../src/memory/registry/memory-registry-supports.js';
import { query, record, rejection } from './support.js';

const T = Date.UTC(2026, 0, 1);

describe('memory registry: create, read, replace, delete', () => {
  it('declares its capabilities as frozen data', () => {
    const registry = createMemoryRegistry();
    expect(registry).toBeInstanceOf(MemoryRegistry);
    expect(registry.supports).toBe(MEMORY_REGISTRY_SUPPORTS);
    expect(registry.supports).toEqual({
      filter: 'exact',
      ttl: 'sweep',
      clock: 'caller',
      sort: true,
      count: true,
      watch: true,
      quota: true,
      indexes: false,
    });
    expect(Object.isFrozen(registry.supports)).toBe(true);
    expect(typeof registry.watch).toBe('function');
  });

  it('creates, reads and deletes', async () => {
    const registry = createMemoryRegistry();
    const created = record('dev-1', { kind: 'sensor' }, T, 1000);
    const result = await registry.put('ns', created, { mode: 'create' }, T);
    expect(result.record).toEqual(created);
    expect(result.previous).toBeUndefined();
    expect(await registry.get('ns', 'dev-1', T)).toEqual(created);
    expect(await registry.get('ns', 'dev-2', T)).toBeUndefined();
    expect(await registry.get('other', 'dev-1', T)).toBeUndefined();
    expect(await registry.count('ns', T)).toBe(1);
    expect(await registry.namespaces()).toEqual(['ns']);

    expect(await registry.delete('ns', 'dev-1', T + 1)).toEqual(created);
    expect(await registry.get('ns', 'dev-1', T + 1)).toBeUndefined();
    expect(await registry.delete('ns', 'dev-1', T + 1)).toBeUndefined();
    expect(await registry.count('ns', T + 1)).toBe(0);
    expect(await registry.namespaces()).toEqual([]);
  });

  it('fails create with ALREADY_EXISTS for a live identity and keeps the original', async () => {
    const registry = createMemoryRegistry();
    const first = record('dev-1', { v: 1 }, T);
    await registry.put('ns', first, { mode: 'create' }, T);
    const error = await rejection(
      registry.put('ns', record('dev-1', { v: 2 }, T + 5), { mode: 'create' }, T + 5),
      'ALREADY_EXISTS',
    );
    expect(error.details.field).toBe('identity');
    expect(await registry.get('ns', 'dev-1', T + 5)).toEqual(first);
  });

  it('replaces: keeps registeredAt, sets updatedAt to now, returns the previous record', async () => {
    const registry = createMemoryRegistry();
    const first = record('dev-1', { v: 1 }, T, 1000);
    await registry.put('ns', first, { mode: 'create' }, T);
    const second = record('dev-1', { v: 2 }, T + 500, 1000);
    const result = await registry.put('ns', second, { mode: 'replace' }, T + 500);
    expect(result.previous).toEqual(first);
    expect(result.record).toEqual({
      identity: 'dev-1',
      metadata: { v: 2 },
      registeredAt: T,
      updatedAt: T + 500,
      expiresAt: T + 1500,
    });
    expect(await registry.get('ns', 'dev-1', T + 1200)).toEqual(result.record);
    expect(await registry.count('ns', T + 1200)).toBe(1);
  });

  it('replace of a missing identity creates it', async () => {
    const registry = createMemoryRegistry();
    const created = record('dev-1', { v: 1 }, T);
    const result = await registry.put('ns', created, { mode: 'replace' }, T);
    expect(result).toEqual({ record: created });
  });

  it('replace of an expired identity is a fresh registration with its own registeredAt', async () => {
    const registry = createMemoryRegistry();
    await registry.put('ns', record('dev-1', { v: 1 }, T, 100), { mode: 'create' }, T);
    const again = record('dev-1', { v: 2 }, T + 100, 100);
    const result = await registry.put('ns', again, { mode: 'replace' }, T + 100);
    expect(result).toEqual({ record: again });
    expect((await registry.get('ns', 'dev-1', T + 150))?.registeredAt).toBe(T + 100);
    // create succeeds too once the previous registration has expired
    const third = record('dev-1', { v: 3 }, T + 200, 100);
    expect(await registry.put('ns', third, { mode: 'create' }, T + 200)).toEqual({ record: third });
  });

  it('keeps namespaces isolated', async () => {
    const registry = createMemoryRegistry();
    await registry.put('a', record('x', { in: 'a' }, T), { mode: 'create' }, T);
    await registry.put('b', record('x', { in: 'b' }, T), { mode: 'create' }, T);
    await registry.put('b', record('y', { in: 'b' }, T), { mode: 'create' }, T);
    expect((await registry.get('a', 'x', T))?.metadata).toEqual({ in: 'a' });
    expect((await registry.get('b', 'x', T))?.metadata).toEqual({ in: 'b' });
    expect(await registry.get('a', 'y', T)).toBeUndefined();
    expect(await registry.count('a', T)).toBe(1);
    expect(await registry.count('b', T)).toBe(2);
    expect((await registry.enumerate('a', query(), T)).items.map((r) => r.identity)).toEqual(['x']);
    await registry.delete('a', 'x', T);
    expect(await registry.get('b', 'x', T)).toBeDefined();
    expect([...(await registry.namespaces())].sort()).toEqual(['b']);
  });

  it('rejects malformed writes with INVALID_ARGUMENT', async () => {
    const registry = createMemoryRegistry();
    const good = record('x', {}, T);
    await rejection(
      registry.put('ns', { ...good, identity: '' }, { mode: 'create' }, T),
      'INVALID_ARGUMENT',
    );
    await rejection(
      registry.put('ns', { ...good, expiresAt: Number.NaN }, { mode: 'create' }, T),
      'INVALID_ARGUMENT',
    );
    await rejection(
      registry.put('ns', good, { mode: 'upsert' as 'create' }, T),
      'INVALID_ARGUMENT',
    );
    await rejection(registry.put('ns', good, { mode: 'create', quota: -1 }, T), 'INVALID_ARGUMENT');
    await rejection(registry.touch('ns', 'x', Number.POSITIVE_INFINITY, T), 'INVALID_ARGUMENT');
    await rejection(registry.enumerate('ns', query({ limit: 0 }), T), 'INVALID_ARGUMENT');
    await rejection(registry.enumerate('ns', query({ limit: 1.5 }), T), 'INVALID_ARGUMENT');
    await rejection(registry.sweep('ns', T, Number.NaN), 'INVALID_ARGUMENT');
    expect(await registry.count('ns', T)).toBe(0);
  });

  it('wraps filters the compiler rejects as INVALID_FILTER, with the FilterError as cause', async () => {
    const registry = createMemoryRegistry();
    await registry.put('ns', record('x', { a: 'b' }, T), { mode: 'create' }, T);
    const lookbehind = { kind: 'matches', path: ['a'], pattern: '(?<=a)b', flags: '' };
    const error = await rejection(
      registry.enumerate('ns', query({ filter: lookbehind as unknown as FilterNode }), T),
      'INVALID_FILTER',
    );
    expect(FilterError.is(error.cause)).toBe(true);
    expect(error.details).toEqual({ ...(error.cause as FilterError).details });
    await rejection(
      registry.enumerate('ns', query({ filter: { kind: 'bogus' } as unknown as FilterNode }), T),
      'INVALID_FILTER',
    );
    await rejection(
      registry.enumerate('ns', query({ filter: null as unknown as FilterNode }), T),
      'INVALID_FILTER',
    );
  });

  it('rejects every call with UNAVAILABLE once closed', async () => {
    const registry = createMemoryRegistry();
    await registry.put('ns', record('x', {}, T), { mode: 'create' }, T);
    const unwatch = await registry.watch!('ns', () => {});
    await registry.close();
    const calls: Promise<unknown>[] = [
      registry.put('ns', record('y', {}, T), { mode: 'create' }, T),
      registry.get('ns', 'x', T),
      registry.touch('ns', 'x', null, T),
      registry.touchMany('ns', [{ identity: 'x', expiresAt: null }], T),
      registry.delete('ns', 'x', T),
      registry.enumerate('ns', query(), T),
      registry.count('ns', T),
      registry.sweep('ns', T, 10),
      registry.namespaces(),
      registry.watch!('ns', () => {}),
    ];
    for (const call of calls) {
      const error = await rejection(call, 'UNAVAILABLE');
      expect(error).toBeInstanceOf(MusterError);
    }
    await expect(unwatch()).resolves.toBeUndefined();
    await expect(registry.close()).resolves.toBeUndefined();
  });
});
