import { compareIdentities } from '../../registry-support/compare-identities.js';
import type { RegistryEntry } from './registry-entry.js';

type Compare = (a: string, b: string) => number;

/** UTF-16 order: equals code point order unless both strings hold units >= U+D800. */
const compareUnits: Compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const WIDE = /[\uD800-\uFFFF]/;

/**
 * The entries of a namespace in identity order, for keyset pagination without rescanning.
 * Writes only append to `incoming`; a read sorts what came in since the last read and merges it
 * into a small sorted `recent` run, which is folded into the big `main` run once it outgrows
 * ~4·√n. So a read after bulk writes pays one sort, a read after a few writes pays O(√n), and
 * steady reads pay a binary search plus the page. Dead entries stay in place until a merge or a
 * compaction drops them; readers skip them.
 */
export class IdentityIndex {
  #main: RegistryEntry[] = [];
  #recent: RegistryEntry[] = [];
  #incoming: RegistryEntry[] = [];
  /** Native string order is code point order until an identity holds a unit >= U+D800. */
  #compare: Compare = compareUnits;

  /** Entries held, dead ones included. */
  get length(): number {
    return this.#main.length + this.#recent.length + this.#incoming.length;
  }

  add(entry: RegistryEntry): void {
    this.#incoming.push(entry);
  }

  /** Drops dead entries everywhere (call when they have come to outnumber the live ones). */
  compact(): void {
    this.#main = this.#main.filter(isAlive);
    this.#recent = this.#recent.filter(isAlive);
    this.#incoming = this.#incoming.filter(isAlive);
  }

  /**
   * When all entries sit in one sorted run (the common steady state), that run and the index to
   * start from, so a page can loop over the array directly; undefined when a merge walk is needed.
   */
  singleRun(
    after: string | undefined,
    descending: boolean,
  ): { readonly run: readonly RegistryEntry[]; readonly start: number } | undefined {
    this.#prepare();
    if (this.#main.length > 0 && this.#recent.length > 0) return undefined;
    const run = this.#main.length > 0 ? this.#main : this.#recent;
    if (descending) {
      return {
        run,
        start: after === undefined ? run.length - 1 : firstNotBefore(run, after, this.#compare) - 1,
      };
    }
    return { run, start: after === undefined ? 0 : firstAfter(run, after, this.#compare) };
  }

  /** Walks live entries after (asc) or before (desc) `after`, in identity order. */
  walk(after: string | undefined, descending: boolean): IndexWalker {
    this.#prepare();
    return new IndexWalker(this.#main, this.#recent, this.#compare, after, descending);
  }

  #prepare(): void {
    const incoming = this.#incoming;
    if (incoming.length === 0) return;
    this.#incoming = [];
    if (this.#compare === compareUnits) {
      for (const entry of incoming) {
        if (WIDE.test(entry.identity)) {
          // Entries sorted so far have no such units, so their order stays valid.
          this.#compare = compareIdentities;
          break;
        }
      }
    }
    const compare = this.#compare;
    const byIdentity = (a: RegistryEntry, b: RegistryEntry) => compare(a.identity, b.identity);
    incoming.sort(byIdentity);
    const recent = merge(this.#recent, incoming, compare);
    if (recent.length > Math.max(1024, 4 * Math.sqrt(this.#main.length))) {
      this.#main = merge(this.#main, recent, compare);
      this.#recent = [];
    } else {
      this.#recent = recent;
    }
  }
}

/** Iterates two sorted runs as one, skipping dead entries. */
export class IndexWalker {
  readonly #main: readonly RegistryEntry[];
  readonly #recent: readonly RegistryEntry[];
  readonly #compare: Compare;
  readonly #step: 1 | -1;
  #i: number;
  #j: number;

  constructor(
    main: readonly RegistryEntry[],
    recent: readonly RegistryEntry[],
    compare: Compare,
    after: string | undefined,
    descending: boolean,
  ) {
    this.#main = main;
    this.#recent = recent;
    this.#compare = compare;
    if (descending) {
      this.#step = -1;
      this.#i = after === undefined ? main.length - 1 : firstNotBefore(main, after, compare) - 1;
      this.#j =
        after === undefined ? recent.length - 1 : firstNotBefore(recent, after, compare) - 1;
    } else {
      this.#step = 1;
      this.#i = after === undefined ? 0 : firstAfter(main, after, compare);
      this.#j = after === undefined ? 0 : firstAfter(recent, after, compare);
    }
  }

  next(): RegistryEntry | undefined {
    const main = this.#main;
    const recent = this.#recent;
    const step = this.#step;
    for (;;) {
      const i = this.#i;
      const j = this.#j;
      const a = i >= 0 && i < main.length ? main[i]! : undefined;
      const b = j >= 0 && j < recent.length ? recent[j]! : undefined;
      let entry: RegistryEntry;
      if (a === undefined) {
        if (b === undefined) return undefined;
        entry = b;
        this.#j = j + step;
      } else if (b !== undefined && this.#compare(b.identity, a.identity) * step < 0) {
        entry = b;
        this.#j = j + step;
      } else {
        entry = a;
        this.#i = i + step;
      }
      if (entry.record !== undefined) return entry;
    }
  }
}

function isAlive(entry: RegistryEntry): boolean {
  return entry.record !== undefined;
}

/** Merges two sorted runs, dropping dead entries. */
function merge(a: RegistryEntry[], b: RegistryEntry[], compare: Compare): RegistryEntry[] {
  const out: RegistryEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (compare(y.identity, x.identity) < 0) {
      j++;
      if (y.record !== undefined) out.push(y);
    } else {
      i++;
      if (x.record !== undefined) out.push(x);
    }
  }
  for (; i < a.length; i++) if (a[i]!.record !== undefined) out.push(a[i]!);
  for (; j < b.length; j++) if (b[j]!.record !== undefined) out.push(b[j]!);
  return out;
}

/** Index of the first entry whose identity is after `identity`. */
function firstAfter(run: readonly RegistryEntry[], identity: string, compare: Compare): number {
  let low = 0;
  let high = run.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(run[middle]!.identity, identity) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first entry whose identity is not before `identity`. */
function firstNotBefore(run: readonly RegistryEntry[], identity: string, compare: Compare): number {
  let low = 0;
  let high = run.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(run[middle]!.identity, identity) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
