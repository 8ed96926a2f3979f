import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '../../src/memory/registry/create-memory-registry.js';
import { record } from './support.js';

const T = 1_000_000;

describe('memory registry: heartbeats (touch, touchMany)', () => {
  it('touch sets expiresAt of a live identity and keeps everything else', async () => {
    const registry = createMemoryRegistry();
    const put = record('x', { a: 1 }, T, 100);
    await registry.put('ns', put, { mode: 'create' }, T);
    const touched = await registry.touch('ns', 'x', T + 1000, T + 50);
    expect(touched).toEqual({ ...put, expiresAt: T + 1000 });
    expect(await registry.get('ns', 'x', T + 999)).toEqual(touched);
    expect(await registry.get('ns', 'x', T + 1000)).toBeUndefined();
    expect(await registry.touch('ns', 'missing', T + 1000, T)).toBeUndefined();
    expect(await registry.touch('other', 'x', T + 1000, T)).toBeUndefined();
  });

  it('touchMany extends 100,000 identities in one call and reports the missing ones', async () => {
    const registry = createMemoryRegistry();
    const size = 100_000;
    for (let i = 0; i < size; i++)
      await registry.put('ns', record(`d${i}`, {}, T, 1000), { mode: 'create' }, T);
    const updates = Array.from({ length: size + 3 }, (_, i) => ({
      identity: i < size ? `d${i}` : `gone${i}`,
      expiresAt: T + 5000,
    }));
    const missing = await registry.touchMany('ns', updates, T + 500);
    expect(missing).toEqual([`gone${size}`, `gone${size + 1}`, `gone${size + 2}`]);
    expect(await registry.count('ns', T + 4999)).toBe(size);
    expect(await registry.sweep('ns', T + 4999, size)).toEqual([]);
    expect((await registry.get('ns', 'd77', T + 4999))?.expiresAt).toBe(T + 5000);
    expect(await registry.sweep('ns', T + 5000, size)).toHaveLength(size);
    expect(await registry.count('ns', T + 5000)).toBe(0);
  });

  it('touchMany skips expired identities and validates before changing anything', async () => {
    const registry = createMemoryRegistry();
    await registry.put('ns', record('a', {}, T, 10), { mode: 'create' }, T);
    await registry.put('ns', record('b', {}, T, 100), { mode: 'create' }, T);
    await expect(
      registry.touchMany(
        'ns',
        [
          { identity: 'b', expiresAt: T + 500 },
          { identity: 'a', expiresAt: Number.NaN },
        ],
        T,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await registry.get('ns', 'b', T))?.expiresAt).toBe(T + 100);
    const missing = await registry.touchMany(
      'ns',
      [
        { identity: 'a', expiresAt: T + 500 },
        { identity: 'b', expiresAt: null },
      ],
      T + 10,
    );
    expect(missing).toEqual(['a']);
    expect((await registry.get('ns', 'b', T + 10_000))?.expiresAt).toBeNull();
  });
});
