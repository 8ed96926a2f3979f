import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the test Redis answers. Locally an unreachable server skips the file (saying why);
 * under CI=true it fails the run instead, so a missing service can never pass as green.
 */
export async function redisAvailable(): Promise<boolean> {
  try {
    await pingOnce(REDIS_URL, 1_000);
    return true;
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`Redis at ${REDIS_URL} is unreachable and CI=true: failing, not skipping`, {
        cause: error,
      });
    console.warn(`[redis] skipping: no Redis at ${REDIS_URL} (${String(error)})`);
    return false;
  }
}

/**
 * Connects once (no retries) and PINGs: rejects unless the server answers. A PING also waits out
 * a server still loading its append-only file (LOADING), not just an open listener.
 */
export async function pingOnce(url: string, connectTimeout: number): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other run uses, so files and reruns never collide. */
export function uniquePrefix(label: string): string {
  return `muster-test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes every key whose hash tag starts with `prefix` (in SCAN chunks, with UNLINK). */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
