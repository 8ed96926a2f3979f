// The kit catches a durability slot that declares reports but ignores markDelivered: the cases
// about DELIVERED marks fail, in the durability suites and through the coordinator; the rest pass.
import { createMemoryDurability, createMemoryMessaging, createMemoryRegistry } from '@muster/core';
import { expect, it } from 'vitest';
import { coordinatorReportsSuite, durabilitySuites } from '../src/index.js';
import { ignoringMarks } from './support/ignoring-marks.js';
import { createRecorder, failedNames } from './support/recorder.js';

it('a durability slot that ignores markDelivered fails the DELIVERED cases, and only those', async () => {
  const recorder = createRecorder();
  const supports = createMemoryDurability().supports;
  durabilitySuites({
    test: recorder.test,
    factory: (options) => ignoringMarks(createMemoryDurability(options)),
    supports,
  });
  const registry = createMemoryRegistry();
  const messaging = createMemoryMessaging();
  coordinatorReportsSuite({
    test: recorder.test,
    slots: () => ({
      registry: createMemoryRegistry(),
      messaging: createMemoryMessaging(),
      durability: ignoringMarks(),
    }),
    supports: { registry: registry.supports, messaging: messaging.supports, durability: supports },
  });
  await registry.close();
  await messaging.close();
  const results = await recorder.run();
  expect(results.length).toBeGreaterThan(15);
  expect(failedNames(results).sort()).toEqual(
    [
      'reports: markDelivered turns targets DELIVERED, idempotently, and recounts',
      'reports: a FAILED or TIMEOUT target that was acked after all is DELIVERED, no error',
      'reports: a mark made before its report is saved applies to it; a re-save keeps marks',
      'reports: gone at now >= expiresAt, found just before',
      'reports: namespaces are separate',
      'coordinator getMulticast (at-least-once): QUEUED, then DELIVERED once the subscriber acks',
      'coordinator getMulticast (durability with reports): shared by coordinators, acks included',
    ].sort(),
  );
}, 120_000);
