import { testMessagingSlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createNatsMessaging } from '../src/index.js';
import { NatsServerProcess } from './support/nats-server-process.js';
import { uniquePrefix } from './support/nats-url.js';

// A private nats-server: the disconnect suite stops and restarts it under the slot.
const server = await NatsServerProcess.launch();
afterAll(() => server.destroy());

await testMessagingSlot({
  it,
  describe,
  name: 'nats',
  factory: () => createNatsMessaging({ servers: server.url, subjectPrefix: uniquePrefix('msg') }),
  disrupt: () => server.stop(),
  restore: () => server.start(),
});
