// Dropped connections: pg_terminate_backend kills every connection of the adapter (pooled and
// LISTEN); the same adapter then works again and its watch receives again. An unreachable
// server makes operations fail with UNAVAILABLE within the connection timeout, never hang.
import { randomBytes } from 'node:crypto';
import { uniqueNamespace } from '@muster/conformance';
import { MusterError, type RegistryChange } from '@muster/core';
import { nodes } from '@muster/filter';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresRegistry } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('reconnect');

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

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!reachable)('postgres: reconnects', () => {
  afterAll(() => dropSchema(schema));

  it('works again after pg_terminate_backend, pooled and LISTEN connections alike', async () => {
    const applicationName = `muster-reconnect-${randomBytes(4).toString('hex')}`;
    const errors: unknown[] = [];
    const registry = createPostgresRegistry({
      url: DATABASE_URL,
      schema,
      applicationName,
      poolSize: 4,
      reconnectDelayMs: 50,
      onError: (error) => errors.push(error),
    });
    const namespace = uniqueNamespace('reconnect');
    const changes: RegistryChange[] = [];
    try {
      const now = Date.now();
      const record = (identity: string) => ({
        identity,
        metadata: { n: identity },
        registeredAt: now,
        updatedAt: now,
        expiresAt: null,
      });
      await registry.watch(namespace, (change) => changes.push(change));
      await Promise.all(
        ['a', 'b', 'c'].map((id) => registry.put(namespace, record(id), { mode: 'create' }, now)),
      );
      await eventually(async () => changes.length === 3, 'the first three events');
      expect(await terminate(applicationName)).toBeGreaterThanOrEqual(2);
      // The pool replaces its dead clients, the listener reconnects and LISTENs again.
      expect((await registry.get(namespace, 'a', now))?.metadata).toEqual({ n: 'a' });
      const page = await registry.enumerate(
        namespace,
        { filter: nodes.all(), limit: 10, sort: [], includeMetadata: true, totalCount: true },
        now,
      );
      expect(page.totalCount).toBe(3);
      expect(errors.length, 'the lost LISTEN connection was reported').toBeGreaterThan(0);
      // Events sent while the listener was down are lost; keep writing until one arrives.
      let next = 0;
      await eventually(async () => {
        await registry.put(namespace, record(`after-${next++}`), { mode: 'create' }, now);
        return changes.some((change) => change.identity.startsWith('after-'));
      }, 'an event after the reconnect');
      expect(await registry.count(namespace, now)).toBe(3 + next);
    } finally {
      await registry.close();
    }
  });

  it('rejects with UNAVAILABLE, quickly, when the server cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const registry = createPostgresRegistry({
      url: 'postgres://postgres@127.0.0.1:1/test',
      schema,
      connectionTimeoutMs: 1_000,
    });
    const started = Date.now();
    try {
      const error = await registry.get('any', 'thing', Date.now()).catch((e: unknown) => e);
      expect(MusterError.is(error, 'UNAVAILABLE'), String(error)).toBe(true);
      const watchError = await registry.watch('any', () => undefined).catch((e: unknown) => e);
      expect(MusterError.is(watchError, 'UNAVAILABLE'), String(watchError)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await registry.close();
    }
  });
});
