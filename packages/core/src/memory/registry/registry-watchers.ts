import type { RegistryChange } from '../../slots/registry-slot.js';

export type ChangeListener = (change: RegistryChange) => void;
export type ListenerErrorHandler = (error: unknown, change: RegistryChange) => void;

/**
 * Synchronous in-process change listeners per namespace. A listener that throws never breaks
 * the write that emitted the change nor the other listeners; its error goes to `onError`.
 */
export class RegistryWatchers {
  readonly #listeners = new Map<string, Set<{ readonly listener: ChangeListener }>>();
  readonly #onError: ListenerErrorHandler | undefined;

  constructor(onError: ListenerErrorHandler | undefined) {
    this.#onError = onError;
  }

  /** True when someone listens to the namespace (so writers build change objects only then). */
  has(namespace: string): boolean {
    return this.#listeners.has(namespace);
  }

  add(namespace: string, listener: ChangeListener): () => void {
    let set = this.#listeners.get(namespace);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(namespace, set);
    }
    // A token per call, so the same function may watch twice and unwatch once.
    const token = { listener };
    set.add(token);
    return () => {
      const current = this.#listeners.get(namespace);
      if (current?.delete(token) && current.size === 0) this.#listeners.delete(namespace);
    };
  }

  emit(change: RegistryChange): void {
    const set = this.#listeners.get(change.namespace);
    if (set === undefined) return;
    for (const { listener } of set) {
      try {
        listener(change);
      } catch (error) {
        this.#report(error, change);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }

  #report(error: unknown, change: RegistryChange): void {
    try {
      this.#onError?.(error, change);
    } catch {
      // The error handler failing must not break the registry either.
    }
  }
}
