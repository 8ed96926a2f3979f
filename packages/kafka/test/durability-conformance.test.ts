import { testDurabilitySlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createKafkaDurability } from '../src/index.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('durability');

if (await kafkaAvailable('durability-conformance')) {
  afterAll(() => deleteByPrefix(prefix));
  await testDurabilitySlot({
    it,
    describe,
    name: 'kafka',
    factory: ({ retention }) =>
      createKafkaDurability({
        topicPrefix: prefix,
        ...(retention === undefined ? {} : { retention }),
      }),
  });
} else {
  it.skip('kafka durability conformance (no broker)', () => {});
}
