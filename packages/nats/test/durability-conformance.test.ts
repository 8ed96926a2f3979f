import { testDurabilitySlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createJetStreamDurability } from '../src/index.js';
import { deleteStreams } from './support/delete-streams.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const prefix = uniquePrefix('dur');

if (await natsReachable()) {
  afterAll(() => deleteStreams(NATS_URL, prefix));
  await testDurabilitySlot({
    it,
    describe,
    name: 'jetstream',
    factory: ({ retention }) =>
      createJetStreamDurability({
        servers: NATS_URL,
        subjectPrefix: prefix,
        ...(retention === undefined ? {} : { retention }),
      }),
  });
} else {
  describe.skip('jetstream durability conformance (NATS unreachable)', () => {
    it('needs NATS', () => {});
  });
}
