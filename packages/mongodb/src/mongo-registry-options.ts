import type { MongoClient, MongoClientOptions } from 'mongodb';
import type { ServerQuirks } from './server-quirks.js';

export interface MongoRegistryOptions {
  /** Connection string. Default `mongodb://127.0.0.1:27017`. Ignored when `client` is given. */
  readonly url?: string;
  /**
   * An existing client to use instead of opening one; `close()` then leaves it open. It must not
   * set `serverApi` against mongo-java-server (that server has no `hello` command).
   */
  readonly client?: MongoClient;
  /** Driver options (pool sizes, timeouts, TLS, auth...), merged over this adapter's defaults. */
  readonly clientOptions?: MongoClientOptions;
  /**
   * How long an operation waits for a reachable server before it fails with UNAVAILABLE, in ms.
   * Default 5,000. (The driver's `serverSelectionTimeoutMS`.)
   */
  readonly serverSelectionTimeoutMS?: number;
  /** Database name. Default `muster`. */
  readonly database?: string;
  /** Prefix of the collection names (`<prefix>identities`, `<prefix>events`). Default `registry_`. */
  readonly collectionPrefix?: string;
  /**
   * The TTL index as a safety net: records are deleted by the server this many seconds after they
   * expired, when no sweep has removed them first (a removal the TTL monitor makes emits no
   * `expired` event, hence the grace period). `false` creates no TTL index. Default 3,600.
   */
  readonly reapAfterSeconds?: number | false;
  /** Pause between polls of the event log while someone watches, in ms. Default 100. */
  readonly watchPollMs?: number;
  /** How long a hole in the event sequence holds delivery back before it is skipped, in ms. Default 2,000. */
  readonly eventGapTimeoutMs?: number;
  /** How long change events are kept in the event log, in ms. Default 600,000 (10 minutes). */
  readonly eventRetentionMs?: number;
  /**
   * Server behaviour to work around: `'auto'` (default) detects mongo-java-server, whose filter
   * deviations are then refined in Node; `'mongodb'` trusts the server fully.
   */
  readonly serverQuirks?: ServerQuirks;
  /** Told about background failures (event polls, throwing watch listeners). Default: ignore. */
  readonly onError?: (error: unknown) => void;
}
