import type { FilterNode } from '@muster/filter';
import { IdempotencyCache } from './idempotency-cache.js';
import type { NamespaceConfig } from './namespace-config.js';
import { resolveFilter } from './resolve-filter.js';

const MAX_CACHED_FILTERS = 500;

/**
 * What the coordinator keeps per namespace it has seen: the resolved settings, parsed string
 * filters (the same text gives the same frozen AST, so compiled predicates cached by AST are
 * reused by every slot), idempotency keys, and whether backend indexes were ensured.
 */
export class NamespaceState {
  readonly name: string;
  readonly config: NamespaceConfig;
  readonly idempotency = new IdempotencyCache();
  /** `true` once the registry has created the schema's indexes (or has none to create); the
   * pending call meanwhile; undefined before the first register and after a failure. */
  indexes: Promise<void> | true | undefined;
  #filters = new Map<string, FilterNode>();

  constructor(name: string, config: NamespaceConfig) {
    this.name = name;
    this.config = config;
  }

  filter(input: unknown): FilterNode {
    if (typeof input !== 'string') return resolveFilter(input, this.config.filterLimits);
    let ast = this.#filters.get(input);
    if (ast === undefined) {
      ast = resolveFilter(input, this.config.filterLimits);
      if (this.#filters.size >= MAX_CACHED_FILTERS) this.#filters.clear();
      this.#filters.set(input, ast);
    }
    return ast;
  }
}
