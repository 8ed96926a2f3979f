import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import { record, rejection } from './support.js';

const T = Date.UTC(2026, 0, 1);

describe('memory registry: quota', () => {
  it('admits exactly the quota among 50 concurrent writers', async () => {
    const registry = createMemoryRegistry();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        registry.put('ns', record(`w${i}`, { i }, T), { mode: 'create', quota: 10 }, T),
      ),
    );
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(10);
    expect(rejected).toHaveLength(40);
    for (const result of rejected)
      expect(MusterError.is((result as PromiseRejectedResult).reason, 'QUOTA_EXCEEDED')).toBe(true);
    expect(await registry.count('ns', T)).toBe(10);
  });

  it('50 concurrent writers of the same identity: one creates, the rest see ALREADY_EXISTS', async () => {
    const registry = createMemoryRegistry();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        registry.put('ns', record('same', { i }, T), { mode: 'create', quota: 10 }, T),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results)
      if (result.status === 'rejected')
        expect(MusterError.is(result.reason, 'ALREADY_EXISTS')).toBe(true);
  });

  it('counts live identities only: replaces are free, expired and deleted ones free a slot', async () => {
    const registry = createMemoryRegistry();
    const options = { mode: 'create' as const, quota: 2 };
    await registry.put('ns', record('a', {}, T, 100), options, T);
    await registry.put('ns', record('b', {}, T), options, T);
    const error = await rejection(
      registry.put('ns', record('c', {}, T), options, T),
      'QUOTA_EXCEEDED',
    );
    expect(error.details.quota).toBe(2);
    // replacing a live identity does not need a free slot
    await registry.put('ns', record('b', { v: 2 }, T), { mode: 'replace', quota: 2 }, T);
    // a new identity in replace mode counts like a create
    await rejection(
      registry.put('ns', record('c', {}, T), { mode: 'replace', quota: 2 }, T),
      'QUOTA_EXCEEDED',
    );
    // 'a' expires at T + 100: its slot is free before any sweep
    await registry.put('ns', record('c', {}, T + 100), options, T + 100);
    await rejection(
      registry.put('ns', record('d', {}, T + 100), options, T + 100),
      'QUOTA_EXCEEDED',
    );
    await registry.delete('ns', 'b', T + 100);
    await registry.put('ns', record('d', {}, T + 100), options, T + 100);
    // re-registering the expired 'a' needs a slot too
    await rejection(
      registry.put('ns', record('a', {}, T + 100), options, T + 100),
      'QUOTA_EXCEEDED',
    );
    expect(await registry.count('ns', T + 100)).toBe(2);
  });

  it('quota is per namespace, and a quota of 0 admits nobody', async () => {
    const registry = createMemoryRegistry();
    await registry.put('a', record('x', {}, T), { mode: 'create', quota: 1 }, T);
    await registry.put('b', record('x', {}, T), { mode: 'create', quota: 1 }, T);
    await rejection(
      registry.put('c', record('x', {}, T), { mode: 'create', quota: 0 }, T),
      'QUOTA_EXCEEDED',
    );
    expect(await registry.namespaces()).toEqual(['a', 'b']);
  });
});
