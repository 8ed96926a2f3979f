// The kit catches a registry whose reads and sweeps ignore TTL: exactly the cases about expiry
// (invisibility, heartbeats of expired identities, sweeps, expired events) fail.
import { createMemoryRegistry } from '@muster/core';
import { expect, it } from 'vitest';
import { registrySuites } from '../src/index.js';
import { ignoringTtl } from './support/ignoring-ttl.js';
import { createRecorder, failedNames } from './support/recorder.js';

it('a registry that ignores TTL fails the TTL cases, and only those', async () => {
  const recorder = createRecorder();
  const supports = createMemoryRegistry().supports;
  registrySuites({
    test: recorder.test,
    factory: () => ignoringTtl(createMemoryRegistry()),
    supports,
  });
  const results = await recorder.run();
  expect(results.length).toBeGreaterThan(40);
  expect(failedNames(results).sort()).toEqual(
    [
      'ttl (manual clock): an expired identity is invisible to every read before any sweep',
      'ttl (manual clock): touch of a missing or expired identity is undefined and revives nothing',
      'ttl (manual clock): touchMany extends live identities and returns the ones that were not live',
      'ttl boundary: live at expiresAt - 1, expired at expiresAt',
      'ttl (real time): a 300 ms registration is gone 450 ms later',
      'sweep: returns every expired identity once, with its record, and leaves live ones',
      'sweep: returns at most `limit` records per call',
      'sweep: two concurrent sweepers return each expired identity exactly once',
      'sweep: concurrent sweepers with small limits still return each identity exactly once',
      'quota: expired identities do not count',
      'namespaces: the same identity in two namespaces is two independent records',
      'change events: each expired identity is reported exactly once, even with concurrent sweeps',
    ].sort(),
  );
}, 120_000);
