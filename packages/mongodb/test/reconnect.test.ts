// Reconnect: a second test server on its own port is stopped under a live adapter. While it is
// down, operations reject with UNAVAILABLE within the bounded server selection timeout; after
// it is back (restarted, so empty: it is in-memory), the same adapter works again.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MusterError, type RegistrySlot } from '@muster/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoRegistry } from '../src/index.js';

const TOOLING = fileURLToPath(new URL('../../../tooling/mongodb/', import.meta.url));
const PORT = process.env.MONGODB_RECONNECT_PORT ?? '27118';
const URL_ = `mongodb://127.0.0.1:${PORT}`;

function server(action: 'start' | 'stop'): void {
  execFileSync(`${TOOLING}${action}.sh`, [PORT], { stdio: 'inherit', timeout: 300_000 });
}

function startable(): boolean {
  try {
    server('start');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`skipping: could not start a test server on port ${PORT} (${String(error)})`);
    return false;
  }
}

const available = startable();
const record = (identity: string, now: number) => ({
  identity,
  metadata: { v: 1 },
  registeredAt: now,
  updatedAt: now,
  expiresAt: null,
});

describe.skipIf(!available)('reconnect after the server restarts', () => {
  let slot: RegistrySlot | undefined;

  afterAll(async () => {
    await slot?.close();
    server('stop');
  });

  it('rejects with UNAVAILABLE while the server is down, then works again without a new adapter', async () => {
    slot = createMongoRegistry({
      url: URL_,
      collectionPrefix: 'reconnect_',
      serverSelectionTimeoutMS: 1_000,
    });
    const now = Date.now();
    await slot.put('ns', record('before', now), { mode: 'replace' }, now);
    expect((await slot.get('ns', 'before', now))?.identity).toBe('before');

    server('stop');
    for (const attempt of [
      () => slot!.get('ns', 'before', now),
      () => slot!.put('ns', record('during', now), { mode: 'replace' }, now),
      () =>
        slot!.enumerate(
          'ns',
          {
            filter: { kind: 'all' },
            limit: 10,
            sort: [],
            includeMetadata: true,
            totalCount: false,
          },
          now,
        ),
    ]) {
      const started = Date.now();
      const error = await attempt().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(MusterError.is(error, 'UNAVAILABLE'), String(error)).toBe(true);
      // Bounded: the selection timeout (1 s) plus slack, never a hang.
      expect(Date.now() - started).toBeLessThan(10_000);
    }

    server('start');
    await slot.put('ns', record('after', now), { mode: 'create' }, now);
    expect((await slot.get('ns', 'after', now))?.identity).toBe('after');
    expect(await slot.count('ns', now)).toBe(1); // in-memory server: 'before' went with it
  });
});
