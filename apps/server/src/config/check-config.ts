import { createMuster, MusterError } from '@muster/core';
import { parse } from '@muster/filter';
import { checkSlotSettings } from '../slots/check-slot-settings.js';
import type { ServerConfig } from './config-schema.js';
import { SchemaProblem } from './to-identity-schema.js';
import { toNamespaceConfig } from './to-namespace-config.js';

/** A problem found after the shape was validated, at a path of the config document. */
export interface SemanticProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Field names core reports (camelCase) and the config keys they come from. */
const CORE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  schema: ['identity_schema'],
  ttlDefaultMs: ['ttl_default'],
  maxTtlMs: ['limits', 'max_ttl'],
  maxIdentities: ['limits', 'max_identities'],
  enumerateDefaultLimit: ['limits', 'enumerate_default_limit'],
  enumerateMaxLimit: ['limits', 'enumerate_max_limit'],
  filterLimits: ['limits', 'filter'],
};

/** Registry types the transactional outbox composes with. */
const POSTGRES_TYPES: ReadonlySet<string> = new Set(['postgres', 'postgresql']);

/**
 * What the schema cannot see: identity schemas, namespace settings as core checks them (names,
 * TTL within max_ttl...), the outbox's registry, and API keys' publisher filters, each reported at its config path.
 */
export function checkConfig(config: ServerConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  config.namespaces.forEach((settings, index) => {
    const at = ['namespaces', index];
    for (const problem of checkSlotSettings(settings))
      problems.push({ path: [...at, ...problem.path], message: problem.message });
    const registryType = settings.backend_slots?.registry?.type ?? 'memory';
    if (settings.composition !== undefined && !POSTGRES_TYPES.has(registryType))
      problems.push({
        path: [...at, 'composition', 'pattern'],
        message: `the outbox composition needs a postgres registry (the outbox reads its targets from the registry's tables in the same transaction); this namespace's registry is ${registryType}`,
      });
    let namespaceConfig: ReturnType<typeof toNamespaceConfig>;
    try {
      namespaceConfig = toNamespaceConfig(settings);
    } catch (error) {
      if (error instanceof SchemaProblem)
        problems.push({ path: [...at, 'identity_schema', ...error.path], message: error.message });
      else throw error;
      return;
    }
    try {
      const check = createMuster({
        namespaces: { [settings.name]: namespaceConfig.config },
        sweepIntervalMs: 0,
        durability: null,
      });
      void check.close();
    } catch (error) {
      if (!MusterError.is(error)) throw error;
      const field = String(error.details.field ?? '');
      const key = field.split('.').at(-1) ?? '';
      const path =
        field === 'namespace' || !field.includes('.') ? ['name'] : (CORE_FIELDS[key] ?? []);
      problems.push({ path: [...at, ...path], message: error.message });
    }
  });
  config.auth?.keys.forEach((key, index) => {
    if (key.publisher_filter === undefined) return;
    try {
      parse(key.publisher_filter);
    } catch (error) {
      problems.push({
        path: ['auth', 'keys', index, 'publisher_filter'],
        message: `not a valid filter: ${(error as Error).message}`,
      });
    }
  });
  return problems;
}
