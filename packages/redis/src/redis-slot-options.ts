import type { RedisOptions } from 'ioredis';

/** How the messaging and durability slots reach Redis (each slot opens its own connections). */
export interface RedisSlotOptions {
  /** Server URL; default `REDIS_URL` from the environment, else redis://127.0.0.1:6379. */
  readonly url?: string;
  /** First part of every key's and channel's hash tag (`{prefix:namespace}`); no braces. Default 'muster'. */
  readonly keyPrefix?: string;
  /** Most milliseconds a command may take before it rejects with UNAVAILABLE. Default 5,000. */
  readonly commandTimeoutMs?: number;
  /** Most milliseconds to establish a connection. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** CLIENT SETNAME of the slot's connections (to find them in CLIENT LIST). */
  readonly connectionName?: string;
  /** Further ioredis options for the connections the slot opens. */
  readonly redisOptions?: RedisOptions;
}

export const DEFAULT_KEY_PREFIX = 'muster';
