import { testCoordinator } from '@muster/conformance';
import { createMemoryRegistry } from '@muster/core';
import { afterAll, describe, it } from 'vitest';
import { createKafkaDurability, createKafkaMessaging } from '../src/index.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('coordinator');

if (await kafkaAvailable('coordinator-conformance')) {
  afterAll(() => deleteByPrefix(prefix));
  await testCoordinator({
    it,
    describe,
    name: 'memory registry + kafka messaging and durability',
    slots: () => ({
      registry: createMemoryRegistry(),
      messaging: createKafkaMessaging({ topicPrefix: prefix }),
      durability: createKafkaDurability({ topicPrefix: prefix }),
    }),
  });
} else {
  it.skip('kafka coordinator conformance (no broker)', () => {});
}
