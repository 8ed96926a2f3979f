import type { FilterNode } from '@muster/filter';
import type { Clock } from '../clock/clock.js';
import { MusterError } from '../errors/muster-error.js';
import { filterPredicate } from '../filter-support/filter-predicate.js';
import { checkIdentity } from '../identity/check-identity.js';
import { checkMetadata } from '../identity/check-metadata.js';
import { indexedFields } from '../identity/indexed-fields.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { Envelope } from '../slots/envelope.js';
import type { IdentityRecord } from '../slots/identity-record.js';
import type { MessagingSlot } from '../slots/messaging-slot.js';
import type { PutOptions, PutResult, RegistrySlot, Unsubscribe } from '../slots/registry-slot.js';
import { ChangeBus } from './change-bus.js';
import { checkMulticastId } from './check-multicast-id.js';
import { type CheckedMulticast, checkMulticastRequest } from './check-multicast-request.js';
import { checkNamespaceName } from './check-namespace-name.js';
import { checkTtl } from './check-ttl.js';
import { closedError } from './closed-error.js';
import { collectTargets } from './collect-targets.js';
import { DeliveryCounts } from './delivery-counts.js';
import { fanOut } from './fan-out.js';
import { FanOutControl } from './fan-out-control.js';
import { invalidArgument } from './invalid-argument.js';
import { LiveQuery } from './live-query.js';
import { MessageSubscription } from './message-subscription.js';
import { MulticastReports } from './multicast-reports.js';
import type {
  EnumerateRequest,
  EnumerateResult,
  HeartbeatResult,
  IdentityDelivery,
  MulticastReport,
  MulticastRequest,
  Muster,
  RegisterRequest,
  RegisterResult,
  SubscribeOptions,
  Subscription,
  Watch,
  WatchRequest,
} from './muster-api.js';
import type { NamespaceConfig } from './namespace-config.js';
import { NamespaceState } from './namespace-state.js';
import { newMulticastId } from './new-multicast-id.js';
import { parseSort } from './parse-sort.js';
import { readPage } from './read-page.js';
import { resolveNamespaceConfig } from './resolve-namespace-config.js';
import { retryDelay } from './retry-delay.js';
import { slotError } from './slot-error.js';

/** Expired identities removed per registry.sweep call. */
export const SWEEP_BATCH = 1000;

export interface CoordinatorSetup {
  readonly registry: RegistrySlot;
  readonly messaging: MessagingSlot;
  readonly durability: DurabilitySlot | null;
  /** Slots createMuster created: the coordinator closes these, and only these. */
  readonly owned: readonly { close(): Promise<void> }[];
  readonly clock: Clock;
  /** Per-namespace overrides, already checked by resolveNamespaceConfig. */
  readonly namespaces: Readonly<Record<string, Partial<NamespaceConfig>>> | undefined;
  readonly strictNamespaces: boolean;
  readonly sweepIntervalMs: number;
}

const CREATE: PutOptions = Object.freeze({ mode: 'create' });
const REPLACE: PutOptions = Object.freeze({ mode: 'replace' });
const REMOVED = Object.freeze({ removed: true });
const NOT_REMOVED = Object.freeze({ removed: false });
const NO_SORT = Object.freeze([]);
const noop = (): void => {};

/**
 * The coordinator: RFC-017's operations over a registry, a messaging and an optional durability
 * slot. It validates and normalises every request, reads the slots' `supports` manifests to
 * choose how to serve it (refining inexact filters, local change events when the registry
 * cannot watch, polling when the durability slot cannot notify), and maps anything a slot throws
 * that is not a MusterError to UNAVAILABLE.
 */
export class Coordinator implements Muster {
  readonly #registry: RegistrySlot;
  readonly #messaging: MessagingSlot;
  readonly #durability: DurabilitySlot | null;
  readonly #owned: readonly { close(): Promise<void> }[];
  readonly #clock: Clock;
  readonly #overrides: Readonly<Record<string, Partial<NamespaceConfig>>> | undefined;
  readonly #strict: boolean;
  readonly #namespaces = new Map<string, NamespaceState>();
  /** The registry cannot deliver change events, so this coordinator emits its own. */
  readonly #localChanges: boolean;
  readonly #bus = new ChangeBus();
  readonly #counts = new DeliveryCounts();
  readonly #subscriptions = new Set<MessageSubscription>();
  /** Subscriptions that poll durable queues, by namespace and identity (woken by local multicasts). */
  readonly #polling = new Map<string, Set<MessageSubscription>>();
  readonly #watches = new Set<LiveQuery>();
  readonly #reports: MulticastReports;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<number> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(setup: CoordinatorSetup) {
    this.#registry = setup.registry;
    this.#messaging = setup.messaging;
    this.#durability = setup.durability;
    this.#owned = setup.owned;
    this.#clock = setup.clock;
    this.#overrides = setup.namespaces;
    this.#strict = setup.strictNamespaces;
    this.#localChanges = !setup.registry.supports.watch || setup.registry.watch === undefined;
    this.#reports = new MulticastReports(setup.durability, this.#now);
    if (setup.sweepIntervalMs > 0) {
      this.#sweeper = setInterval(this.#backgroundSweep, setup.sweepIntervalMs);
      this.#sweeper.unref?.();
    }
  }

  async register(namespace: string, request: RegisterRequest): Promise<RegisterResult> {
    const state = this.#namespace(namespace);
    if (typeof request !== 'object' || request === null)
      throw invalidArgument('request', 'a register request is an object');
    const identity = checkIdentity(request.identity);
    const config = state.config;
    const now = this.#clock.now();
    const metadata = checkMetadata(request.metadata, config, now);
    let expiresAt: number | null = null;
    if (request.ttlMs !== undefined) expiresAt = now + checkTtl(request.ttlMs, config.maxTtlMs);
    else if (config.ttlDefaultMs !== undefined) expiresAt = now + config.ttlDefaultMs;
    const replace = request.replace ?? false;
    if (typeof replace !== 'boolean') throw invalidArgument('replace', 'replace must be a boolean');
    if (config.schema !== undefined && state.indexes !== true) await this.#ensureIndexes(state);
    const registry = this.#registry;
    const quota = config.maxIdentities;
    let options = replace ? REPLACE : CREATE;
    if (quota !== undefined) {
      if (registry.supports.quota) options = { mode: options.mode, quota };
      else await this.#checkQuota(namespace, identity, quota, now);
    }
    const record: IdentityRecord = {
      identity,
      metadata,
      registeredAt: now,
      updatedAt: now,
      expiresAt,
    };
    let result: PutResult;
    try {
      result = await registry.put(namespace, record, options, now);
    } catch (error) {
      throw slotError(error);
    }
    const stored = result.record;
    if (this.#localChanges && this.#bus.has(namespace)) {
      const previous = result.previous;
      this.#bus.emit(
        previous === undefined
          ? { type: 'registered', namespace, identity, record: stored, at: now }
          : { type: 'updated', namespace, identity, record: stored, previous, at: now },
      );
    }
    return { identity, registeredAt: stored.registeredAt, expiresAt: stored.expiresAt };
  }

  async heartbeat(
    namespace: string,
    identity: string,
    options?: { readonly ttlMs?: number },
  ): Promise<HeartbeatResult> {
    const state = this.#namespace(namespace);
    checkIdentity(identity);
    const ttl = heartbeatTtl(state.config, options);
    const now = this.#clock.now();
    let record: IdentityRecord | undefined;
    try {
      record =
        ttl === undefined
          ? await this.#registry.get(namespace, identity, now)
          : await this.#registry.touch(namespace, identity, now + ttl, now);
    } catch (error) {
      throw slotError(error);
    }
    if (record === undefined) throw notFound(namespace, identity);
    // No TTL to extend by: an identity without one stays without; one with a TTL needs ttlMs.
    if (ttl === undefined && record.expiresAt !== null)
      throw invalidArgument(
        'ttlMs',
        `namespace ${namespace} has no ttlDefaultMs and ${identity} has a TTL: give ttlMs to extend it`,
      );
    return { identity, expiresAt: record.expiresAt };
  }

  async heartbeatMany(
    namespace: string,
    identities: readonly string[],
    options?: { readonly ttlMs?: number },
  ): Promise<{ readonly missing: readonly string[] }> {
    const state = this.#namespace(namespace);
    if (!Array.isArray(identities))
      throw invalidArgument('identities', 'identities must be an array of identities');
    const ttl = heartbeatTtl(state.config, options);
    if (ttl === undefined)
      throw invalidArgument(
        'ttlMs',
        `namespace ${namespace} has no ttlDefaultMs: heartbeatMany needs ttlMs`,
      );
    const now = this.#clock.now();
    const expiresAt = now + ttl;
    const updates = new Array<{ identity: string; expiresAt: number }>(identities.length);
    for (let i = 0; i < identities.length; i++)
      updates[i] = { identity: checkIdentity(identities[i]), expiresAt };
    try {
      return { missing: await this.#registry.touchMany(namespace, updates, now) };
    } catch (error) {
      throw slotError(error);
    }
  }

  async unregister(namespace: string, identity: string): Promise<{ readonly removed: boolean }> {
    this.#namespace(namespace);
    checkIdentity(identity);
    const now = this.#clock.now();
    let removed: IdentityRecord | undefined;
    try {
      removed = await this.#registry.delete(namespace, identity, now);
    } catch (error) {
      throw slotError(error);
    }
    if (removed !== undefined && this.#localChanges && this.#bus.has(namespace))
      this.#bus.emit({ type: 'unregistered', namespace, identity, previous: removed, at: now });
    // Purged even when nothing was removed: a retried unregister finishes the job.
    if (this.#durability !== null) {
      try {
        await this.#durability.purge(namespace, identity);
      } catch (error) {
        throw slotError(error);
      }
      this.#counts.forget(namespace, identity);
    }
    return removed === undefined ? NOT_REMOVED : REMOVED;
  }

  async get(namespace: string, identity: string): Promise<IdentityRecord> {
    this.#namespace(namespace);
    checkIdentity(identity);
    let record: IdentityRecord | undefined;
    try {
      record = await this.#registry.get(namespace, identity, this.#clock.now());
    } catch (error) {
      throw slotError(error);
    }
    if (record === undefined) throw notFound(namespace, identity);
    return record;
  }

  // Not `async`, for the same reason as multicast.
  enumerate(namespace: string, request: EnumerateRequest = {}): Promise<EnumerateResult> {
    try {
      return this.#startEnumerate(namespace, request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #startEnumerate(namespace: string, request: EnumerateRequest): Promise<EnumerateResult> {
    const state = this.#namespace(namespace);
    if (typeof request !== 'object' || request === null)
      throw invalidArgument('request', 'an enumerate request is an object');
    const config = state.config;
    const limit = request.limit ?? config.enumerateDefaultLimit;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > config.enumerateMaxLimit)
      throw invalidArgument(
        'limit',
        `limit must be an integer from 1 to ${config.enumerateMaxLimit}, not ${String(limit)}`,
        { max: config.enumerateMaxLimit },
      );
    const cursor = request.cursor;
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length === 0))
      throw invalidArgument('cursor', 'cursor must be the nextCursor of a previous page');
    const registry = this.#registry;
    const sort = parseSort(request.sort, Boolean(registry.supports.sort));
    const includeMetadata = checkFlag(request.includeMetadata, true, 'includeMetadata');
    const totalCount = checkFlag(request.totalCount, false, 'totalCount');
    if (totalCount && !registry.supports.count)
      throw new MusterError('UNSUPPORTED', 'this registry cannot count: ask without totalCount', {
        details: { field: 'totalCount', capability: 'count' },
      });
    const filter = state.filter(request.filter);
    return readPage(
      registry,
      namespace,
      { filter, limit, cursor, sort, includeMetadata, totalCount },
      this.#clock.now(),
      config.enumerateMaxLimit,
    );
  }

  // Not `async`: returning the run's promise from an async function would cost two more
  // microtask turns per call, which shows on small fan-outs. Sync throws become rejections.
  multicast(namespace: string, request: MulticastRequest): Promise<MulticastReport> {
    try {
      return this.#startMulticast(namespace, request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #startMulticast(namespace: string, request: MulticastRequest): Promise<MulticastReport> {
    const state = this.#namespace(namespace);
    const checked = checkMulticastRequest(request, state.config, this.#messaging, this.#durability);
    const filter = state.filter(request.filter);
    if (checked.signal?.aborted) throw cancelled(undefined);
    const key = checked.idempotencyKey;
    if (key === undefined) return this.#multicast(state, filter, checked);
    const now = this.#clock.now();
    const earlier = state.idempotency.get(key, now);
    if (earlier !== undefined) return earlier;
    const report = this.#multicast(state, filter, checked);
    state.idempotency.set(key, report, now);
    return report;
  }

  async getMulticast(namespace: string, multicastId: string): Promise<MulticastReport> {
    this.#namespace(namespace);
    checkMulticastId(multicastId);
    let report: MulticastReport | undefined;
    try {
      report = await this.#reports.load(namespace, multicastId);
    } catch (error) {
      throw slotError(error);
    }
    if (report === undefined)
      throw new MusterError(
        'NOT_FOUND',
        `no multicast ${multicastId} in namespace ${namespace} (unknown, or past its retention)`,
        { details: { field: 'multicastId', namespace, multicastId } },
      );
    return report;
  }

  async subscribe(
    namespace: string,
    identity: string,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    const state = this.#namespace(namespace);
    checkIdentity(identity);
    const signal = checkSignal(options);
    const onMessage = options.onMessage;
    if (onMessage !== undefined && typeof onMessage !== 'function')
      throw invalidArgument('onMessage', 'onMessage must be a function');
    if (signal?.aborted) throw cancelled(undefined);
    const durability = this.#durability;
    const subscription = await MessageSubscription.open(
      {
        namespace,
        identity,
        bufferSize: state.config.subscriberBufferSize,
        onMessage,
        messaging: this.#messaging,
        durability,
        clock: this.#clock,
        counts: this.#counts,
        onAcked: (multicastId, createdAt) =>
          this.#reports.delivered(namespace, [
            { multicastId, identity, expiresAt: createdAt + state.config.reportRetentionMs },
          ]),
        onClose: this.#forgetSubscription,
      },
      signal,
    );
    if (this.#closed) {
      await subscription.close();
      throw closedError();
    }
    if (subscription.closed) return subscription;
    this.#subscriptions.add(subscription);
    if (durability !== null && !(durability.supports.notify && durability.onAvailable)) {
      const key = `${namespace}\n${identity}`;
      let set = this.#polling.get(key);
      if (set === undefined) {
        set = new Set();
        this.#polling.set(key, set);
      }
      set.add(subscription);
    }
    return subscription;
  }

  async watch(namespace: string, request: WatchRequest = {}): Promise<Watch> {
    const state = this.#namespace(namespace);
    if (typeof request !== 'object' || request === null)
      throw invalidArgument('request', 'a watch request is an object');
    const filter = state.filter(request.filter);
    const predicate = filterPredicate(filter);
    const initial = checkFlag(request.initial, false, 'initial');
    const signal = checkSignal(request);
    if (signal?.aborted) throw cancelled(undefined);
    const query = new LiveQuery(namespace, predicate, state.config.subscriberBufferSize);
    let unsubscribe: Unsubscribe;
    if (this.#localChanges) unsubscribe = this.#bus.listen(namespace, query.onChange);
    else {
      try {
        unsubscribe = await this.#registry.watch!(namespace, query.onChange);
      } catch (error) {
        throw slotError(error);
      }
    }
    let records: IdentityRecord[];
    const now = this.#clock.now();
    try {
      records = await this.#matching(namespace, filter, state.config.enumerateMaxLimit, now);
    } catch (error) {
      await unsubscribe().catch(noop);
      throw error;
    }
    query.start(records, initial, now, unsubscribe, this.#forgetWatch, signal);
    if (this.#closed) {
      await query.close();
      throw closedError();
    }
    this.#watches.add(query);
    return query;
  }

  async sweep(): Promise<number> {
    if (this.#closed) throw closedError();
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await Promise.all([
      ...[...this.#subscriptions].map((subscription) => subscription.close()),
      ...[...this.#watches].map((watch) => watch.close()),
    ]);
    await this.#sweeping?.catch(noop);
    // Reports being saved reach the slot before it is closed.
    await this.#reports.flush();
    let failure: unknown;
    for (const slot of this.#owned) {
      try {
        await slot.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw slotError(failure);
  }

  /** The namespace's state; validates the name (and `strictNamespaces`) on first use. */
  #namespace(namespace: string): NamespaceState {
    if (this.#closed) throw closedError();
    const state = this.#namespaces.get(namespace);
    if (state !== undefined) return state;
    checkNamespaceName(namespace);
    const overrides =
      this.#overrides !== undefined && Object.hasOwn(this.#overrides, namespace)
        ? this.#overrides[namespace]
        : undefined;
    if (overrides === undefined && this.#strict)
      throw new MusterError('NOT_FOUND', `namespace ${namespace} is not configured`, {
        details: { field: 'namespace', namespace },
      });
    const created = new NamespaceState(namespace, resolveNamespaceConfig(namespace, overrides));
    this.#namespaces.set(namespace, created);
    return created;
  }

  /** Once per namespace: backend indexes for the schema's `index: true` fields. */
  #ensureIndexes(state: NamespaceState): Promise<void> | undefined {
    if (state.indexes !== undefined) return state.indexes === true ? undefined : state.indexes;
    const paths = indexedFields(state.config.schema);
    const registry = this.#registry;
    if (paths.length === 0 || !registry.supports.indexes || registry.ensureIndexes === undefined) {
      state.indexes = true;
      return undefined;
    }
    const pending = registry.ensureIndexes(state.name, paths).then(
      () => {
        state.indexes = true;
      },
      (error: unknown) => {
        state.indexes = undefined;
        throw slotError(error);
      },
    );
    state.indexes = pending;
    return pending;
  }

  /**
   * The quota when the registry cannot enforce it atomically: best effort (two concurrent
   * registers may both pass). Replacing a live identity never counts as one more.
   */
  async #checkQuota(
    namespace: string,
    identity: string,
    quota: number,
    now: number,
  ): Promise<void> {
    try {
      if ((await this.#registry.count(namespace, now)) < quota) return;
      if ((await this.#registry.get(namespace, identity, now)) !== undefined) return;
    } catch (error) {
      throw slotError(error);
    }
    throw quotaExceeded(namespace, quota);
  }

  /**
   * One multicast, answered once: by the run when it completes, or at the timeout / abort with
   * what is known then (the run may still be waiting on a slot; its late results are ignored).
   */
  #multicast(
    state: NamespaceState,
    filter: FilterNode,
    request: CheckedMulticast,
  ): Promise<MulticastReport> {
    const progress: MulticastProgress = {
      multicastId: '',
      createdAt: 0,
      targets: undefined,
      deliveries: [],
    };
    // Every report that has an id is kept for getMulticast, before the caller sees it.
    const keep = (report: MulticastReport): MulticastReport => {
      this.#reports.keep(state.name, report, progress.createdAt + state.config.reportRetentionMs);
      return report;
    };
    return new Promise<MulticastReport>((resolve, reject) => {
      const control = new FanOutControl(request.timeoutMs, request.signal, () => {
        try {
          resolve(keep(stoppedReport(progress, control.reason, request.timeoutMs, keep)));
        } catch (error) {
          reject(error);
        }
      });
      this.#runMulticast(state, filter, request, control, progress).then(
        (report) => {
          control.dispose();
          if (report !== undefined) resolve(keep(report));
        },
        (error: unknown) => {
          control.dispose();
          reject(error);
        },
      );
    });
  }

  /** Finds the targets and fans out; undefined when the control stopped it meanwhile. */
  async #runMulticast(
    state: NamespaceState,
    filter: FilterNode,
    request: CheckedMulticast,
    control: FanOutControl,
    progress: MulticastProgress,
  ): Promise<MulticastReport | undefined> {
    const namespace = state.name;
    const config = state.config;
    const createdAt = this.#clock.now();
    progress.createdAt = createdAt;
    const targets = await this.#collectTargetsRetrying(
      namespace,
      filter,
      config,
      control,
      createdAt,
    );
    if (targets === undefined || control.reason !== undefined) return undefined;
    const multicastId = newMulticastId();
    const deliveries = new Array<IdentityDelivery | undefined>(targets.length);
    progress.multicastId = multicastId;
    progress.targets = targets;
    progress.deliveries = deliveries;
    await fanOut(
      {
        namespace,
        targets,
        delivery: request.delivery,
        multicastId,
        payload: request.payload,
        contentType: request.contentType,
        createdAt,
        batchSize: config.multicastBatchSize,
        concurrency: config.multicastConcurrency,
        retries: config.multicastRetries,
        control,
        signal: request.signal,
        messaging: this.#messaging,
        durability: this.#durability,
        now: this.#now,
        onQueued: this.#polling.size > 0 ? this.#wakePolling : undefined,
      },
      deliveries,
    );
    if (control.reason !== undefined) return undefined;
    return settle(multicastId, targets, deliveries, undefined);
  }

  /**
   * The targets, asking the registry again when it is UNAVAILABLE (a restart or failover) with
   * the fan-out's backoff, while retries and the multicast's time allow: nothing has been sent
   * yet, so asking again is safe. Undefined when the control stopped the multicast meanwhile.
   */
  async #collectTargetsRetrying(
    namespace: string,
    filter: FilterNode,
    config: NamespaceConfig,
    control: FanOutControl,
    now: number,
  ): Promise<string[] | undefined> {
    for (let retry = 0; ; retry++) {
      try {
        return await collectTargets(
          this.#registry,
          namespace,
          filter,
          config.enumerateMaxLimit,
          now,
        );
      } catch (error) {
        const delay = retryDelay(retry);
        if (
          !MusterError.is(error) ||
          error.code !== 'UNAVAILABLE' ||
          retry >= config.multicastRetries ||
          delay >= control.remaining()
        )
          throw error;
        await control.sleep(delay);
        if (control.reason !== undefined) return undefined;
      }
    }
  }

  /** Every identity matching `filter`, with metadata (a watch's starting set). */
  async #matching(
    namespace: string,
    filter: FilterNode,
    pageSize: number,
    now: number,
  ): Promise<IdentityRecord[]> {
    const records: IdentityRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await readPage(
        this.#registry,
        namespace,
        {
          filter,
          limit: pageSize,
          cursor,
          sort: NO_SORT,
          includeMetadata: true,
          totalCount: false,
        },
        now,
        pageSize,
      );
      for (const record of page.identities) records.push(record);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return records;
  }

  async #sweepOnce(): Promise<number> {
    const registry = this.#registry;
    const durability = this.#durability;
    const now = this.#clock.now();
    let names: readonly string[];
    try {
      names = await registry.namespaces();
    } catch (error) {
      throw slotError(error);
    }
    let total = 0;
    for (const namespace of names) {
      for (;;) {
        let expired: readonly IdentityRecord[];
        try {
          expired = await registry.sweep(namespace, now, SWEEP_BATCH);
        } catch (error) {
          throw slotError(error);
        }
        total += expired.length;
        if (this.#localChanges && this.#bus.has(namespace))
          for (const record of expired)
            this.#bus.emit({
              type: 'expired',
              namespace,
              identity: record.identity,
              previous: record,
              at: now,
            });
        if (durability !== null && expired.length > 0) {
          try {
            await Promise.all(
              expired.map((record) => durability.purge(namespace, record.identity)),
            );
          } catch (error) {
            throw slotError(error);
          }
          for (const record of expired) this.#counts.forget(namespace, record.identity);
        }
        if (expired.length < SWEEP_BATCH) break;
      }
    }
    if (durability !== null) {
      const trimmed = new Set([...names, ...this.#namespaces.keys()]);
      try {
        for (const namespace of trimmed) await durability.trim(namespace, now);
      } catch (error) {
        throw slotError(error);
      }
    }
    this.#reports.trim(now);
    return total;
  }

  #now = (): number => this.#clock.now();

  #backgroundSweep = (): void => {
    if (this.#closed || this.#sweeping !== undefined) return;
    // A failed background pass is retried at the next tick; callers see errors from sweep().
    this.sweep().catch(noop);
  };

  /** At-least-once messages were queued: wake this process's polling subscribers at once. */
  #wakePolling = (namespace: string, envelopes: readonly Envelope[]): void => {
    const polling = this.#polling;
    for (const envelope of envelopes) {
      const set = polling.get(`${namespace}\n${envelope.identity}`);
      if (set !== undefined) for (const subscription of set) subscription.wake();
    }
  };

  #forgetSubscription = (subscription: MessageSubscription): void => {
    this.#subscriptions.delete(subscription);
    if (this.#polling.size === 0) return;
    const key = `${subscription.namespace}\n${subscription.identity}`;
    const set = this.#polling.get(key);
    if (set?.delete(subscription) && set.size === 0) this.#polling.delete(key);
  };

  #forgetWatch = (watch: LiveQuery): void => {
    this.#watches.delete(watch);
  };
}

/** What a multicast has got to, for an answer at its timeout or abort. */
interface MulticastProgress {
  multicastId: string;
  /** When the multicast was accepted (its report's retention counts from then). */
  createdAt: number;
  /** Undefined while the targets are being found. */
  targets: readonly string[] | undefined;
  deliveries: (IdentityDelivery | undefined)[];
}

/**
 * The answer of a multicast stopped by its timeout (unsettled targets TIMEOUT) or its signal
 * (CANCELLED, the report so far in details). Before the targets are known nothing was sent:
 * TIMEOUT or CANCELLED errors.
 */
function stoppedReport(
  progress: MulticastProgress,
  reason: 'timeout' | 'abort' | undefined,
  timeoutMs: number,
  keep: (report: MulticastReport) => MulticastReport,
): MulticastReport {
  const { targets, deliveries, multicastId } = progress;
  if (reason === 'abort') {
    throw cancelled(
      targets === undefined
        ? undefined
        : keep(settle(multicastId, targets, deliveries, CANCELLED_DELIVERY)),
    );
  }
  if (targets === undefined)
    throw new MusterError(
      'TIMEOUT',
      `the multicast timed out after ${timeoutMs} ms while finding its targets; nothing was sent`,
      { details: { timeoutMs } },
    );
  return settle(multicastId, targets, deliveries, undefined);
}

const CANCELLED_DELIVERY = Object.freeze({
  code: 'CANCELLED',
  message: 'the multicast was cancelled before this delivery was attempted',
});

/**
 * The report: every target has a status, in identity order. Targets the fan-out did not settle
 * are TIMEOUT (it ran out of time), or FAILED with `error` when given (it was cancelled).
 */
function settle(
  multicastId: string,
  targets: readonly string[],
  deliveries: (IdentityDelivery | undefined)[],
  error: { readonly code: string; readonly message: string } | undefined,
): MulticastReport {
  let deliveredCount = 0;
  for (let i = 0; i < deliveries.length; i++) {
    const delivery = deliveries[i];
    if (delivery === undefined)
      deliveries[i] =
        error === undefined
          ? { identity: targets[i]!, status: 'TIMEOUT' }
          : { identity: targets[i]!, status: 'FAILED', error };
    else if (delivery.status === 'DELIVERED') deliveredCount++;
  }
  return {
    multicastId,
    targetCount: targets.length,
    deliveredCount,
    deliveries: deliveries as IdentityDelivery[],
  };
}

function heartbeatTtl(
  config: NamespaceConfig,
  options: { readonly ttlMs?: number } | undefined,
): number | undefined {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw invalidArgument('options', 'heartbeat options are an object');
  const ttlMs = options?.ttlMs;
  return ttlMs === undefined ? config.ttlDefaultMs : checkTtl(ttlMs, config.maxTtlMs);
}

function checkFlag(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(field, `${field} must be a boolean`);
  return value;
}

function checkSignal(options: { readonly signal?: AbortSignal }): AbortSignal | undefined {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('options', 'options are an object');
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalidArgument('signal', 'signal must be an AbortSignal');
  return signal;
}

function notFound(namespace: string, identity: string): MusterError {
  return new MusterError('NOT_FOUND', `${identity} is not registered in namespace ${namespace}`, {
    details: { field: 'identity', namespace, identity },
  });
}

function quotaExceeded(namespace: string, quota: number): MusterError {
  return new MusterError(
    'QUOTA_EXCEEDED',
    `namespace ${namespace} already holds its maximum of ${quota} identities`,
    { details: { limit: 'maxIdentities', max: quota, namespace } },
  );
}

/** CANCELLED; with the report of what was already handed over when the fan-out had started. */
function cancelled(report: MulticastReport | undefined): MusterError {
  return new MusterError(
    'CANCELLED',
    report === undefined
      ? 'the operation was cancelled'
      : 'the multicast was cancelled; details.report says what had already been sent',
    { details: report === undefined ? {} : { multicastId: report.multicastId, report } },
  );
}
