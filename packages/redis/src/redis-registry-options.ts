import type { Redis, RedisOptions } from 'ioredis';

export interface RedisRegistryOptions {
  /** Server URL; default `REDIS_URL` from the environment, else redis://127.0.0.1:6379. */
  readonly url?: string;
  /** Use this ioredis client instead of connecting (the registry never closes it). */
  readonly client?: Redis;
  /** First part of every key's hash tag (`{prefix:namespace}`); no braces. Default 'muster'. */
  readonly keyPrefix?: string;
  /** Most milliseconds a command may take before it rejects with UNAVAILABLE. Default 5,000. */
  readonly commandTimeoutMs?: number;
  /** Most milliseconds to establish a connection. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** Identities a read script looks at per call (bounds how long one call holds Redis). Default 500. */
  readonly chunkSize?: number;
  /**
   * Most puts one write script call takes (concurrent puts to a namespace in one event-loop turn
   * share a call): larger batches write faster but hold the server longer. 1 to 300 (a script's
   * argument lists stay within Lua's stack). Default 100.
   */
  readonly putBatchSize?: number;
  /**
   * Largest candidate set read into Node from range, prefix or union indexes before a read
   * falls back to walking the namespace in chunks. Default 25,000.
   */
  readonly maxCandidates?: number;
  /** Approximate length each namespace's change-event stream is trimmed to. Default 100,000. */
  readonly eventsMaxLength?: number;
  /** How long one blocking read of the change stream waits (ms). Default 1,000. */
  readonly watchBlockMs?: number;
  /** CLIENT SETNAME of the registry's connections (to find them in CLIENT LIST). */
  readonly connectionName?: string;
  /** Further ioredis options for the connections the registry opens. */
  readonly redisOptions?: RedisOptions;
}
