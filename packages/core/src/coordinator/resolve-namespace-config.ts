import { MusterError } from '../errors/muster-error.js';
import { checkIdentitySchema } from '../identity/check-identity-schema.js';
import { invalidArgument } from './invalid-argument.js';
import {
  DEFAULT_NAMESPACE_CONFIG,
  MAX_REPORT_RETENTION_MS,
  type NamespaceConfig,
} from './namespace-config.js';

const POSITIVE_INTEGERS = [
  'maxTtlMs',
  'maxMetadataBytes',
  'maxMetadataDepth',
  'enumerateDefaultLimit',
  'enumerateMaxLimit',
  'multicastBatchSize',
  'multicastConcurrency',
  'multicastTimeoutMs',
  'subscriberBufferSize',
  'reportRetentionMs',
] as const;

/**
 * A namespace's settings: `overrides` over DEFAULT_NAMESPACE_CONFIG, checked once when the
 * namespace is first used (or at createMuster for configured ones) so that a bad setting is a
 * configuration error, not a failure of every call. Throws INVALID_ARGUMENT naming the setting.
 */
export function resolveNamespaceConfig(
  namespace: string,
  overrides: Partial<NamespaceConfig> | undefined,
): NamespaceConfig {
  if (overrides === undefined) return DEFAULT_NAMESPACE_CONFIG;
  if (typeof overrides !== 'object' || overrides === null)
    throw invalidArgument(`namespaces.${namespace}`, 'a namespace configuration is an object');
  const merged: Record<string, unknown> = { ...DEFAULT_NAMESPACE_CONFIG };
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) merged[key] = value;
  const config = merged as unknown as NamespaceConfig;
  const field = (key: string) => `namespaces.${namespace}.${key}`;
  for (const key of POSITIVE_INTEGERS) {
    const value = config[key];
    if (!isInteger(value) || value < 1)
      throw invalidArgument(field(key), `${key} must be a positive integer, not ${String(value)}`);
  }
  if (!isInteger(config.multicastRetries) || config.multicastRetries < 0)
    throw invalidArgument(field('multicastRetries'), 'multicastRetries must be an integer >= 0');
  if (config.enumerateDefaultLimit > config.enumerateMaxLimit)
    throw invalidArgument(
      field('enumerateDefaultLimit'),
      'enumerateDefaultLimit must not exceed enumerateMaxLimit',
    );
  if (config.reportRetentionMs > MAX_REPORT_RETENTION_MS)
    throw invalidArgument(
      field('reportRetentionMs'),
      `reportRetentionMs must be at most ${MAX_REPORT_RETENTION_MS} (7 days)`,
      { max: MAX_REPORT_RETENTION_MS },
    );
  const ttl = config.ttlDefaultMs;
  if (ttl !== undefined && (!isInteger(ttl) || ttl < 1 || ttl > config.maxTtlMs))
    throw invalidArgument(
      field('ttlDefaultMs'),
      `ttlDefaultMs must be a positive integer no larger than maxTtlMs (${config.maxTtlMs})`,
    );
  const quota = config.maxIdentities;
  if (quota !== undefined && (!isInteger(quota) || quota < 0))
    throw invalidArgument(field('maxIdentities'), 'maxIdentities must be an integer >= 0');
  if (config.filterLimits !== undefined && typeof config.filterLimits !== 'object')
    throw invalidArgument(field('filterLimits'), 'filterLimits must be an object');
  if (config.schema !== undefined) {
    try {
      checkIdentitySchema(config.schema);
    } catch (error) {
      // Name the namespace in the field so a configuration with many namespaces is easy to fix.
      if (!MusterError.is(error)) throw error;
      throw new MusterError(error.code, error.message, {
        details: { ...error.details, field: field(error.details.field ?? 'schema') },
        cause: error,
      });
    }
  }
  return Object.freeze(merged) as unknown as NamespaceConfig;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
