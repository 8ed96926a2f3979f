import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TOOLING = fileURLToPath(new URL('../../../../tooling/kafka/', import.meta.url));

/** The brokers the tests use: KAFKA_BROKERS or the loopback test broker. */
export const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0);

/** Whether the tests run against the broker tooling/kafka/start.sh manages. */
export const MANAGED_BROKER = BROKERS.length === 1 && BROKERS[0] === '127.0.0.1:9092';

/** True when the first broker accepts a TCP connection. */
export function brokerAnswers(timeoutMs = 1_000): Promise<boolean> {
  const [host, port] = BROKERS[0]!.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts the managed broker unless it answers (idempotent). */
export async function startBroker(): Promise<void> {
  await run('bash', [`${TOOLING}start.sh`], { timeout: 600_000 });
}

/** Stops the managed broker (a clean SIGTERM shutdown; the data stays). */
export async function stopBroker(): Promise<void> {
  await run('bash', [`${TOOLING}stop.sh`], { timeout: 60_000 });
}
