/**
 * A map keyed by namespace and id, as two levels of `Map`. A joined key (`namespace\nid`) would
 * be a new concatenated string per entry that V8 flattens into a second copy when it hashes it:
 * about 50 B more per kept report, and a hash over the whole key on every lookup.
 */
export class NamespacedMap<V> {
  readonly #byNamespace = new Map<string, Map<string, V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(namespace: string, id: string): V | undefined {
    return this.#byNamespace.get(namespace)?.get(id);
  }

  set(namespace: string, id: string, value: V): void {
    let inner = this.#byNamespace.get(namespace);
    if (inner === undefined) {
      inner = new Map();
      this.#byNamespace.set(namespace, inner);
    }
    const before = inner.size;
    inner.set(id, value);
    this.#size += inner.size - before;
  }

  delete(namespace: string, id: string): boolean {
    const inner = this.#byNamespace.get(namespace);
    if (inner === undefined || !inner.delete(id)) return false;
    this.#size--;
    if (inner.size === 0) this.#byNamespace.delete(namespace);
    return true;
  }

  clear(): void {
    this.#byNamespace.clear();
    this.#size = 0;
  }
}
