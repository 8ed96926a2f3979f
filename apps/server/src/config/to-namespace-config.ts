import type { NamespaceConfig } from '@muster/core';
import type { FilterLimits } from '@muster/filter';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../service/namespace-runtime.js';
import type { NamespaceSettings } from './config-schema.js';
import { parseDuration } from './parse-duration.js';
import { toIdentitySchema } from './to-identity-schema.js';

/** A configured namespace as core's namespace settings and the server's own limits. */
export function toNamespaceConfig(settings: NamespaceSettings): {
  readonly config: Partial<NamespaceConfig>;
  readonly filterLimits?: Partial<FilterLimits>;
  readonly limits: ServerLimits;
} {
  const limits = settings.limits ?? {};
  const filter = limits.filter;
  const filterLimits: Partial<FilterLimits> | undefined =
    filter === undefined
      ? undefined
      : strip({
          maxDepth: filter.max_depth,
          maxComparisons: filter.max_comparisons,
          maxInputLength: filter.max_input_length,
          maxRegexLength: filter.max_regex_length,
          maxInItems: filter.max_in_items,
        });
  // RFC-017's example 1 writes ttl_default inside the registry slot: accepted there too.
  const slotTtl = settings.backend_slots?.registry?.ttl_default;
  const ttlDefaultMs =
    settings.ttl_default ??
    (typeof slotTtl === 'number' || typeof slotTtl === 'string'
      ? parseDuration(slotTtl)
      : undefined);
  const config = strip({
    schema:
      settings.identity_schema === undefined
        ? undefined
        : toIdentitySchema(settings.identity_schema),
    ttlDefaultMs,
    maxTtlMs: limits.max_ttl,
    maxIdentities: limits.max_identities,
    maxMetadataBytes: limits.max_metadata_bytes,
    maxMetadataDepth: limits.max_metadata_depth,
    enumerateDefaultLimit: limits.enumerate_default_limit,
    enumerateMaxLimit: limits.enumerate_max_limit,
    filterLimits,
    multicastBatchSize: limits.multicast_batch_size,
    multicastConcurrency: limits.multicast_concurrency,
    multicastTimeoutMs: limits.multicast_timeout,
    multicastRetries: limits.multicast_retries,
    subscriberBufferSize: limits.subscriber_buffer_size,
  }) as Partial<NamespaceConfig>;
  return {
    config,
    ...(filterLimits === undefined ? {} : { filterLimits }),
    limits: strip({
      maxPayloadBytes: limits.max_payload_bytes ?? DEFAULT_SERVER_LIMITS.maxPayloadBytes,
      maxMulticastTargets: limits.max_multicast_targets,
    }) as ServerLimits,
  };
}

/** Drops undefined values (exactOptionalPropertyTypes: absent, not undefined). */
function strip<T extends Record<string, unknown>>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
