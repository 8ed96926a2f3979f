import { testMessagingSlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createKafkaMessaging } from '../src/index.js';
import { startBroker, stopBroker } from './support/broker.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('messaging');

if (await kafkaAvailable('messaging-conformance')) {
  afterAll(() => deleteByPrefix(prefix));
  await testMessagingSlot({
    it,
    describe,
    name: 'kafka',
    factory: () => createKafkaMessaging({ topicPrefix: prefix }),
    // The real thing: the broker goes away (clean shutdown) and comes back.
    disrupt: () => stopBroker(),
    restore: () => startBroker(),
  });
} else {
  it.skip('kafka messaging conformance (no broker)', () => {});
}
