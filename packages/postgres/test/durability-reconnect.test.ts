// The durability slot after its LISTEN connection is killed (pg_terminate_backend): notifications
// sent while it was down are lost, so every onAvailable listener is woken once the connection
// LISTENs again, and not before: an enqueue right after that wake is announced to it.
import { randomBytes } from 'node:crypto';
import { makeEnvelope, uniqueNamespace } from '@muster/conformance';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDurability, PostgresDurability } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('durability_reconnect');

async function terminate(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    const result = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!reachable)('postgres durability: LISTEN reconnect', () => {
  afterAll(() => dropSchema(schema));

  it('wakes listeners once LISTEN is back, so the next enqueue reaches them', async () => {
    const applicationName = `muster-dq-reconnect-${randomBytes(4).toString('hex')}`;
    const errors: unknown[] = [];
    const listening = new PostgresDurability({
      url: DATABASE_URL,
      schema,
      applicationName,
      // Long enough that an enqueue made while the connection is down would be lost.
      reconnectDelayMs: 300,
      onError: (error) => errors.push(error),
    });
    const writer = createPostgresDurability({ url: DATABASE_URL, schema });
    const namespace = uniqueNamespace('dq-reconnect');
    try {
      let wakes = 0;
      await listening.onAvailable(namespace, 'device', () => wakes++);
      await writer.enqueue(namespace, [makeEnvelope('device', 'before')], Date.now());
      await eventually(() => wakes === 1, 'the notification before the kill');
      expect(await terminate(applicationName)).toBeGreaterThanOrEqual(1);
      await eventually(() => wakes === 2, 'the wake after the reconnect');
      expect(errors.length, 'the lost LISTEN connection was reported').toBeGreaterThan(0);
      await writer.enqueue(namespace, [makeEnvelope('device', 'after')], Date.now());
      await eventually(() => wakes === 3, 'the notification after the reconnect');
    } finally {
      await Promise.all([listening.close(), writer.close()]);
    }
  });
});
