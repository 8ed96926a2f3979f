import { testCoordinator } from '@muster/conformance';
import { createMemoryRegistry } from '@muster/core';
import { afterAll, describe, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { deleteStreams } from './support/delete-streams.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const prefix = uniquePrefix('coord');

if (await natsReachable()) {
  afterAll(() => deleteStreams(NATS_URL, prefix));
  await testCoordinator({
    it,
    describe,
    name: 'memory registry + nats messaging + jetstream durability',
    slots: async () => ({
      registry: createMemoryRegistry(),
      messaging: await createNatsMessaging({ servers: NATS_URL, subjectPrefix: prefix }),
      durability: await createJetStreamDurability({ servers: NATS_URL, subjectPrefix: prefix }),
    }),
  });
} else {
  describe.skip('coordinator on NATS (NATS unreachable)', () => {
    it('needs NATS', () => {});
  });
}
