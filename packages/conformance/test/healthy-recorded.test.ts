// The recording harness itself is sound: the healthy in-memory slots pass every recorded case
// (so the failures in the broken-adapter tests come from the adapters, not from the harness).
import { createMemoryDurability, createMemoryMessaging, createMemoryRegistry } from '@muster/core';
import { expect, it } from 'vitest';
import { durabilitySuites, messagingSuites, registrySuites } from '../src/index.js';
import { createRecorder, failedNames } from './support/recorder.js';

it('the healthy in-memory slots pass every recorded case', async () => {
  const recorder = createRecorder();
  registrySuites({
    test: recorder.test,
    factory: () => createMemoryRegistry(),
    supports: createMemoryRegistry().supports,
  });
  messagingSuites({
    test: recorder.test,
    factory: () => createMemoryMessaging(),
    supports: createMemoryMessaging().supports,
  });
  durabilitySuites({
    test: recorder.test,
    factory: (options) => createMemoryDurability(options),
    supports: createMemoryDurability().supports,
  });
  const results = await recorder.run();
  expect(results.length).toBeGreaterThan(70);
  expect(results.filter((r) => !r.passed)).toEqual([]);
  expect(failedNames(results)).toEqual([]);
}, 120_000);
