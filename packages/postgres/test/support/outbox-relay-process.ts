// A relay in its own process, for the SIGKILL test: outbox -> Kafka messaging. Run with
// `node --conditions=@muster/source --import tsx outbox-relay-process.ts`.
// Env: DATABASE_URL, OUTBOX_SCHEMA, OUTBOX_TABLE, KAFKA_TOPIC_PREFIX, RELAY_BATCH_SIZE,
// RELAY_STALL_AFTER (once that many targets are published, stall after the publish and before
// the commit until killed: the kill lands exactly there). Prints `ready`, then
// `published <n>` after each batch's publish.
import { createKafkaMessaging } from '@muster/kafka';
import { createOutboxRelay, createPostgresOutbox } from '../../src/index.js';

const env = process.env;
const outbox = createPostgresOutbox({
  ...(env.DATABASE_URL === undefined ? {} : { url: env.DATABASE_URL }),
  schema: env.OUTBOX_SCHEMA ?? 'muster',
  table: env.OUTBOX_TABLE ?? 'multicast_outbox',
  poolSize: 2,
});
const messaging = createKafkaMessaging({ topicPrefix: env.KAFKA_TOPIC_PREFIX ?? 'muster' });
const stallAfter = Number(env.RELAY_STALL_AFTER ?? Number.POSITIVE_INFINITY);
let published = 0;
const relay = createOutboxRelay({
  outbox,
  messaging,
  batchSize: Number(env.RELAY_BATCH_SIZE ?? 100),
  pollIntervalMs: 20,
  onError: (error) => console.error(`relay error: ${String(error)}`),
  afterPublish: async (targets) => {
    published += targets.length;
    console.log(`published ${published}`);
    if (published >= stallAfter) await new Promise((resolve) => setTimeout(resolve, 600_000));
  },
});

process.on('SIGTERM', () => {
  void (async () => {
    await relay.stop();
    await messaging.close();
    await outbox.close();
    process.exit(0);
  })();
});

relay.start();
console.log('ready');
