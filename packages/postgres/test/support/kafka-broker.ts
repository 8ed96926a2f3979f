import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const START_BROKER = fileURLToPath(new URL('../../../../tooling/kafka/start.sh', import.meta.url));

/** The brokers the tests use: KAFKA_BROKERS or the loopback test broker. */
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

/**
 * Whether Kafka answers. When nothing answers at the loopback test broker's address, starts it
 * first (tooling/kafka/start.sh: idempotent, shared by later runs, as @muster/kafka's tests do).
 * Locally a test file skips when there is still no broker (saying why); under CI=true it
 * throws, so the run fails.
 */
export async function kafkaReachable(file: string): Promise<boolean> {
  const managed = KAFKA_BROKERS.length === 1 && KAFKA_BROKERS[0] === '127.0.0.1:9092';
  if (!(await brokerAnswers()) && managed) {
    try {
      await promisify(execFile)('bash', [START_BROKER], { timeout: 600_000 });
    } catch (error) {
      if (process.env.CI === 'true') throw error;
      console.warn(`[postgres] ${file}: could not start the Kafka test broker: ${String(error)}`);
    }
  }
  if (await brokerAnswers()) return true;
  if (process.env.CI === 'true') throw new Error(`Kafka is unreachable at ${KAFKA_BROKERS}`);
  console.warn(
    `[postgres] ${file}: skipped, no Kafka broker at ${KAFKA_BROKERS} (tooling/kafka/start.sh starts one)`,
  );
  return false;
}

function brokerAnswers(): Promise<boolean> {
  const [host, port] = KAFKA_BROKERS[0]!.split(':');
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Deletes the topics and consumer groups whose names start with `<prefix>.`. */
export async function deleteKafkaPrefix(prefix: string): Promise<void> {
  const admin = new Kafka({ brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${prefix}.`));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
