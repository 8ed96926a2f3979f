// The kit catches a messaging slot that loses every 100th message: the many-message delivery and
// order cases fail; the small ones (fewer than 100 messages per slot) pass.
import { createMemoryMessaging } from '@muster/core';
import { expect, it } from 'vitest';
import { messagingSuites } from '../src/index.js';
import { droppingEveryHundredth } from './support/dropping-every-hundredth.js';
import { createRecorder, failedNames } from './support/recorder.js';

it('a messaging slot that drops every 100th message fails the delivery and order cases', async () => {
  const recorder = createRecorder();
  const supports = createMemoryMessaging().supports;
  messagingSuites({
    test: recorder.test,
    factory: () => droppingEveryHundredth(createMemoryMessaging()),
    supports,
  });
  const results = await recorder.run();
  expect(results.length).toBeGreaterThan(15);
  expect(failedNames(results).sort()).toEqual(
    [
      'delivery: 10,000 identities each receive exactly their message (batches of 500)',
      'order: 200 messages to one identity over 20 publishes arrive in order',
      'order: interleaved identities in one batch each see their own messages in order',
    ].sort(),
  );
}, 120_000);
