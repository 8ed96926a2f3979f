import type { RegistryChange, Unsubscribe } from '@muster/core';
import { type EventDocument, toChange } from './event-document.js';
import type { EventLog } from './event-log.js';
import type { RegistryCollections } from './registry-collections.js';

export type ChangeListener = (change: RegistryChange) => void;

export interface EventTailOptions {
  /** Pause between polls of the event log, in ms. */
  readonly pollMs: number;
  /**
   * How long a hole in the sequence may stay open before it is skipped, in ms. EventLog never
   * leaves holes; this only keeps a tail from stalling forever if something deletes an event
   * it has not read yet.
   */
  readonly gapTimeoutMs: number;
  /** Told about failed polls (the tail keeps polling) and throwing listeners. */
  readonly onError: (error: unknown) => void;
}

interface Watcher {
  readonly listener: ChangeListener;
  /** Only events after this sequence number: nothing from before the watch began. */
  readonly from: number;
}

const BATCH = 1_000;

/**
 * Follows the event log for this adapter instance's watchers: one poll loop, whatever the number
 * of watchers, started with the first and stopped with the last. Events are delivered in
 * sequence order; a missing number holds delivery back until it is filled or times out.
 */
export class EventTail {
  readonly #collections: RegistryCollections;
  readonly #log: EventLog;
  readonly #options: EventTailOptions;
  readonly #watchers = new Map<string, Set<Watcher>>();
  #position: number | undefined;
  #gapSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;

  constructor(collections: RegistryCollections, log: EventLog, options: EventTailOptions) {
    this.#collections = collections;
    this.#log = log;
    this.#options = options;
  }

  async add(namespace: string, listener: ChangeListener): Promise<Unsubscribe> {
    const from = await this.#log.newest();
    if (this.#position === undefined || this.#position > from) this.#position = from;
    let set = this.#watchers.get(namespace);
    if (set === undefined) {
      set = new Set();
      this.#watchers.set(namespace, set);
    }
    const watcher: Watcher = { listener, from };
    set.add(watcher);
    this.#schedule();
    return async () => {
      const current = this.#watchers.get(namespace);
      if (current?.delete(watcher) && current.size === 0) this.#watchers.delete(namespace);
      if (this.#watchers.size === 0) this.#halt();
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watchers.clear();
    this.#halt();
    await this.#polling;
  }

  #halt(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#position = undefined;
    this.#gapSince = undefined;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined || this.#polling !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#polling = this.#poll()
        .catch((error: unknown) => this.#options.onError(error))
        .finally(() => {
          this.#polling = undefined;
          if (this.#watchers.size > 0) this.#schedule();
        });
    }, this.#options.pollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    for (;;) {
      const position = this.#position;
      if (position === undefined) return;
      const batch = await this.#collections.events
        .find({ _id: { $gt: position } }, { sort: { _id: 1 }, limit: BATCH })
        .toArray();
      const delivered = this.#deliver(batch, position);
      if (delivered < BATCH) return;
    }
  }

  /** Delivers the contiguous run of `batch` after `position`; returns how many it passed. */
  #deliver(batch: readonly EventDocument[], position: number): number {
    let next = position;
    let passed = 0;
    for (const event of batch) {
      if (this.#position === undefined) break; // the last watcher left meanwhile
      if (event._id !== next + 1) {
        const now = Date.now();
        this.#gapSince ??= now;
        if (now - this.#gapSince < this.#options.gapTimeoutMs) break;
      }
      this.#gapSince = undefined;
      next = event._id;
      this.#position = next;
      passed++;
      this.#dispatch(event);
    }
    return passed;
  }

  #dispatch(event: EventDocument): void {
    const set = this.#watchers.get(event.ns);
    if (set === undefined) return;
    const change = toChange(event);
    for (const watcher of set) {
      if (event._id <= watcher.from) continue;
      try {
        watcher.listener(change);
      } catch (error) {
        this.#options.onError(error);
      }
    }
  }
}
