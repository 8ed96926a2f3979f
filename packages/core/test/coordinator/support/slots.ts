import { nodes } from '@muster/filter';
import { createMuster } from '../../../src/coordinator/create-muster.js';
import type { Muster, MusterOptions } from '../../../src/coordinator/muster-api.js';
import { MusterError } from '../../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../../src/memory/durability/create-memory-durability.js';
import { createMemoryMessaging } from '../../../src/memory/messaging/create-memory-messaging.js';
import { createMemoryRegistry } from '../../../src/memory/registry/create-memory-registry.js';
import type { DurabilitySlot } from '../../../src/slots/durability-slot.js';
import type { Envelope } from '../../../src/slots/envelope.js';
import type {
  MessagingSlot,
  MessagingSupports,
  PublishOptions,
  PublishResult,
} from '../../../src/slots/messaging-slot.js';
import type {
  EnumeratePage,
  EnumerateQuery,
  RegistrySlot,
  RegistrySupports,
} from '../../../src/slots/registry-slot.js';

/** A slot failure plan: the next `times` calls of `method` throw `error`. */
export interface Failure {
  readonly method: string;
  times: number;
  readonly error: unknown;
}

function failIfPlanned(failures: Failure[], method: string): void {
  const failure = failures.find((f) => f.method === method && f.times > 0);
  if (failure === undefined) return;
  failure.times--;
  throw failure.error;
}

export interface RegistryChanges {
  readonly supports?: Partial<RegistrySupports>;
  /** Enumerate ignores the filter and returns every identity with `exact: false` (a superset). */
  readonly superset?: boolean;
}

/**
 * The in-memory registry seen through a different manifest: capability gaps (no watch, no
 * quota, inexact filters, no sort or count) for the coordinator to work around. Counts calls.
 */
export class TestRegistry implements RegistrySlot {
  readonly supports: RegistrySupports;
  readonly base: RegistrySlot;
  readonly calls: Record<string, number> = {};
  readonly failures: Failure[] = [];
  readonly ensured: (readonly (readonly string[])[])[] = [];
  readonly #superset: boolean;
  watch?: NonNullable<RegistrySlot['watch']>;
  ensureIndexes?: NonNullable<RegistrySlot['ensureIndexes']>;

  constructor(changes: RegistryChanges = {}, base: RegistrySlot = createMemoryRegistry()) {
    this.base = base;
    this.supports = Object.freeze({ ...base.supports, ...changes.supports });
    this.#superset = changes.superset ?? false;
    if (this.supports.watch)
      this.watch = (namespace, listener) => {
        this.#count('watch');
        return base.watch!(namespace, listener);
      };
    if (this.supports.indexes)
      this.ensureIndexes = async (_namespace, paths) => {
        this.#count('ensureIndexes');
        this.ensured.push(paths);
      };
  }

  put: RegistrySlot['put'] = async (namespace, record, options, now) => {
    this.#count('put');
    const { quota, ...rest } = options;
    return this.base.put(namespace, record, this.supports.quota ? options : rest, now);
  };

  get: RegistrySlot['get'] = async (...args) => {
    this.#count('get');
    return this.base.get(...args);
  };

  touch: RegistrySlot['touch'] = async (...args) => {
    this.#count('touch');
    return this.base.touch(...args);
  };

  touchMany: RegistrySlot['touchMany'] = async (...args) => {
    this.#count('touchMany');
    return this.base.touchMany(...args);
  };

  delete: RegistrySlot['delete'] = async (...args) => {
    this.#count('delete');
    return this.base.delete(...args);
  };

  enumerate = async (
    namespace: string,
    query: EnumerateQuery,
    now: number,
  ): Promise<EnumeratePage> => {
    this.#count('enumerate');
    if (!this.#superset) return this.base.enumerate(namespace, query, now);
    const page = await this.base.enumerate(
      namespace,
      { ...query, filter: nodes.all(), totalCount: false },
      now,
    );
    const totalCount = query.totalCount
      ? (await this.base.enumerate(namespace, { ...query, limit: 1, totalCount: true }, now))
          .totalCount
      : undefined;
    return { ...page, exact: false, ...(totalCount === undefined ? {} : { totalCount }) };
  };

  count: RegistrySlot['count'] = async (...args) => {
    this.#count('count');
    return this.base.count(...args);
  };

  sweep: RegistrySlot['sweep'] = async (...args) => {
    this.#count('sweep');
    return this.base.sweep(...args);
  };

  namespaces: RegistrySlot['namespaces'] = async () => {
    this.#count('namespaces');
    return this.base.namespaces();
  };

  close: RegistrySlot['close'] = async () => {
    this.#count('close');
    return this.base.close();
  };

  #count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    failIfPlanned(this.failures, method);
  }
}

export interface MessagingChanges {
  readonly supports?: Partial<MessagingSupports>;
  /** publish never settles (a backend that hangs). */
  readonly hang?: boolean;
  /** Replaces the results (e.g. a dishonest slot). */
  readonly results?: (results: readonly PublishResult[]) => readonly PublishResult[];
}

/** The in-memory messaging slot with failures, hangs, call counts and concurrency tracking. */
export class TestMessaging implements MessagingSlot {
  readonly supports: MessagingSupports;
  readonly base: MessagingSlot;
  readonly failures: Failure[] = [];
  readonly batches: (readonly Envelope[])[] = [];
  readonly options: PublishOptions[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Publish waits this long (real time) before delivering: makes concurrency observable. */
  delayMs = 0;
  readonly #changes: MessagingChanges;

  constructor(changes: MessagingChanges = {}, base: MessagingSlot = createMemoryMessaging()) {
    this.base = base;
    this.supports = Object.freeze({ ...base.supports, ...changes.supports });
    this.#changes = changes;
  }

  async publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    this.batches.push(envelopes);
    this.options.push(options);
    failIfPlanned(this.failures, 'publish');
    if (this.#changes.hang) return new Promise(() => {});
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const results = await this.base.publish(namespace, envelopes, options);
      return this.#changes.results ? this.#changes.results(results) : results;
    } finally {
      this.inFlight--;
    }
  }

  subscribe: MessagingSlot['subscribe'] = (...args) => {
    failIfPlanned(this.failures, 'subscribe');
    return this.base.subscribe(...args);
  };

  close: MessagingSlot['close'] = () => this.base.close();
}

/** The in-memory durability slot, optionally without notifications (the coordinator polls). */
export function durabilityWithoutNotify(
  base: DurabilitySlot = createMemoryDurability({ retention: {} }),
): DurabilitySlot & { reads: number } {
  const slot = {
    supports: Object.freeze({ ...base.supports, notify: false }),
    reads: 0,
    enqueue: base.enqueue.bind(base),
    read: (...args: Parameters<DurabilitySlot['read']>) => {
      slot.reads++;
      return base.read(...args);
    },
    ack: base.ack.bind(base),
    purge: base.purge.bind(base),
    trim: base.trim.bind(base),
    close: base.close.bind(base),
  };
  return slot;
}

export const unavailable = (message = 'backend down'): MusterError =>
  new MusterError('UNAVAILABLE', message);

/** A coordinator with the sweeper off (tests sweep on demand). */
export function musterFor(options: MusterOptions = {}): Muster {
  return createMuster({ sweepIntervalMs: 0, ...options });
}

/** Lets queued microtasks and immediate callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The next `count` items of an async iterable (leaves it open). */
export async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const iterator = iterable[Symbol.asyncIterator]();
  const items: T[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}

/** Resolves with the next item, or `undefined` when none comes within `ms` (real time). */
export async function nextWithin<T>(
  iterable: AsyncIterable<T>,
  ms: number,
): Promise<T | undefined> {
  const iterator = iterable[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const next = iterator.next().then((result) => (result.done ? undefined : result.value));
  try {
    return await Promise.race([next, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const text = (message: { readonly payload: Uint8Array }): string =>
  new TextDecoder().decode(message.payload);
