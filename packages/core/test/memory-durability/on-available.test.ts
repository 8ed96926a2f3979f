import { describe, expect, it } from 'vitest';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { envelope, T0 } from './envelopes.js';

describe('memory durability: onAvailable', () => {
  it('notifies once per identity per enqueue, after the whole batch is readable', async () => {
    const slot = createMemoryDurability();
    const seen: number[] = [];
    await slot.onAvailable!('ns', 'a', () => {
      void slot.read('ns', 'a', { limit: 100 }, T0).then((messages) => seen.push(messages.length));
    });
    let calls = 0;
    await slot.onAvailable!('ns', 'a', () => calls++);
    await slot.enqueue('ns', [envelope('a', '1'), envelope('b', '2'), envelope('a', '3')], T0);
    expect(calls).toBe(1);
    await Promise.resolve();
    expect(seen).toEqual([2]);
  });

  it('only for its namespace and identity, and not after unsubscribe', async () => {
    const slot = createMemoryDurability();
    let calls = 0;
    const unsubscribe = await slot.onAvailable!('ns', 'a', () => calls++);
    await slot.enqueue('ns', [envelope('b', '1')], T0);
    await slot.enqueue('other', [envelope('a', '2')], T0);
    expect(calls).toBe(0);
    await slot.enqueue('ns', [envelope('a', '3')], T0);
    expect(calls).toBe(1);
    await unsubscribe();
    await unsubscribe();
    await slot.enqueue('ns', [envelope('a', '4')], T0);
    expect(calls).toBe(1);
  });

  it('survives a throwing listener: the enqueue succeeds and others are called', async () => {
    const slot = createMemoryDurability();
    let calls = 0;
    await slot.onAvailable!('ns', 'a', () => {
      throw new Error('boom');
    });
    await slot.onAvailable!('ns', 'a', () => calls++);
    await expect(slot.enqueue('ns', [envelope('a', '1')], T0)).resolves.toHaveLength(1);
    expect(calls).toBe(1);
  });

  it('keeps listening across purge', async () => {
    const slot = createMemoryDurability();
    let calls = 0;
    await slot.onAvailable!('ns', 'a', () => calls++);
    await slot.enqueue('ns', [envelope('a', '1')], T0);
    await slot.purge('ns', 'a');
    await slot.enqueue('ns', [envelope('a', '2')], T0);
    expect(calls).toBe(2);
  });
});
