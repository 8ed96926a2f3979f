import { Redis } from 'ioredis';
import type { RedisSlotOptions } from './redis-slot-options.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * One ioredis connection with the slots' defaults: a bounded command time, and commands queued
 * while disconnected fail after one reconnect attempt (callers get UNAVAILABLE and retry rather
 * than wait on a server that is gone). ioredis reconnects by itself, forever.
 */
export function openConnection(options: RedisSlotOptions, pipelined: boolean): Redis {
  const connection = new Redis(options.url ?? process.env.REDIS_URL ?? DEFAULT_URL, {
    enableAutoPipelining: pipelined,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    // The subscriber link restores its channels itself, then tells the slot (see SubscriberLink).
    autoResubscribe: false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
    ...options.redisOptions,
  });
  // Connection errors surface as rejected commands; without a listener ioredis logs each one.
  connection.on('error', () => undefined);
  return connection;
}

/** Closes a connection this slot opened: QUIT when the server answers, else drop the socket. */
export async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    try {
      await connection.quit();
      return;
    } catch {
      // Fall through: the server is gone.
    }
  }
  connection.disconnect();
}
