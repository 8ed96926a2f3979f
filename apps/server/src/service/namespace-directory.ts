import { MusterError } from '@muster/core';
import type { NamespaceRuntime } from './namespace-runtime.js';

/** Names the embedded default would serve, short enough for a label. */
const NAMESPACE_LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/**
 * The namespaces a server serves. Configured namespaces are listed; the embedded default also
 * serves any other valid name on its in-memory coordinator (`fallback`).
 */
export class NamespaceDirectory {
  readonly #named: ReadonlyMap<string, NamespaceRuntime>;
  readonly #fallback: ((name: string) => NamespaceRuntime) | undefined;

  constructor(
    named: ReadonlyMap<string, NamespaceRuntime>,
    fallback?: (name: string) => NamespaceRuntime,
  ) {
    this.#named = named;
    this.#fallback = fallback;
  }

  resolve(name: string): NamespaceRuntime {
    const runtime = this.#named.get(name) ?? this.#fallback?.(name);
    if (runtime === undefined)
      throw new MusterError('NOT_FOUND', `namespace "${name}" is not served here`, {
        details: { field: 'namespace' },
      });
    return runtime;
  }

  /**
   * The namespace as a metrics label: a served name, or `(other)` for names this server does not
   * serve (callers choose them, and must not be able to grow the metrics without bound).
   */
  label(name: string): string {
    return this.#named.has(name) || (this.#fallback !== undefined && NAMESPACE_LABEL.test(name))
      ? name
      : '(other)';
  }

  get configured(): readonly NamespaceRuntime[] {
    return [...this.#named.values()];
  }
}
