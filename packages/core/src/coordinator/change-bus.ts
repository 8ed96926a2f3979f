import type { RegistryChange, Unsubscribe } from '../slots/registry-slot.js';

type Listener = (change: RegistryChange) => void;

/**
 * Registry changes made through this coordinator (its writes and its sweeps), for watches when
 * the registry has no `watch` of its own. Such watches only see this coordinator's changes.
 */
export class ChangeBus {
  #listeners = new Map<string, readonly Listener[]>();

  /** Whether anybody listens to the namespace (emitters skip building changes otherwise). */
  has(namespace: string): boolean {
    return this.#listeners.size > 0 && this.#listeners.has(namespace);
  }

  listen(namespace: string, listener: Listener): Unsubscribe {
    this.#listeners.set(namespace, [...(this.#listeners.get(namespace) ?? []), listener]);
    return async () => {
      const rest = (this.#listeners.get(namespace) ?? []).filter((l) => l !== listener);
      if (rest.length > 0) this.#listeners.set(namespace, rest);
      else this.#listeners.delete(namespace);
    };
  }

  emit(change: RegistryChange): void {
    const listeners = this.#listeners.get(change.namespace);
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A watcher's failure is its own: the write that emitted the change has succeeded.
      }
    }
  }
}
