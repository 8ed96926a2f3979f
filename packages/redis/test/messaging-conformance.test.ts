// The messaging kit against a real Redis: a private redis-server, because the disconnect suite
// stops and restarts the server under the slot.
import { testMessagingSlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createRedisMessaging } from '../src/index.js';
import { RedisServerProcess } from './support/redis-server-process.js';
import { uniquePrefix } from './support/redis-test-server.js';

const server = await RedisServerProcess.launch();
afterAll(() => server.destroy());

await testMessagingSlot({
  it,
  describe,
  name: 'redis',
  factory: () => createRedisMessaging({ url: server.url, keyPrefix: uniquePrefix('msg') }),
  disrupt: () => server.stop(),
  restore: () => server.start(),
});
