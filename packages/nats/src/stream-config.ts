import type { RetentionPolicy } from '@muster/core';
import {
  DiscardPolicy,
  StorageType,
  type StreamConfig,
  RetentionPolicy as StreamRetention,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export type StreamStorage = 'file' | 'memory';

/** JetStream's default de-duplication window (a retried enqueue within it is stored once). */
const DUPLICATE_WINDOW_MS = 120_000;

/**
 * A namespace's stream: limits retention (messages stay until deleted by an ack, a purge or a
 * limit), the per-identity length as `max_msgs_per_subject` (oldest dropped first), the age as
 * `max_age`, and direct gets allowed (reads without consumers).
 */
export function streamConfig(options: {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly retention: RetentionPolicy;
  readonly storage: StreamStorage;
  readonly replicas: number;
}): StreamConfig {
  const { maxAgeMs, maxLength } = options.retention;
  const maxAge = maxAgeMs === undefined || maxAgeMs === 0 ? 0 : Math.ceil(maxAgeMs);
  // The window may not exceed max_age.
  const window = maxAge === 0 ? DUPLICATE_WINDOW_MS : Math.min(DUPLICATE_WINDOW_MS, maxAge);
  return {
    name: options.name,
    subjects: [...options.subjects],
    retention: StreamRetention.Limits,
    storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: options.replicas,
    discard: DiscardPolicy.Old,
    max_age: nanos(maxAge),
    max_msgs_per_subject: maxLength ?? -1,
    max_msgs: -1,
    max_bytes: -1,
    duplicate_window: nanos(window),
    allow_direct: true,
  } as StreamConfig;
}
