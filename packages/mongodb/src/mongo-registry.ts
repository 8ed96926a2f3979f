import {
  checkCursorTypes,
  checkExpiresAt,
  checkRecord,
  compareSortTuples,
  decodeCursor,
  type EnumeratePage,
  type EnumerateQuery,
  encodeCursor,
  type IdentityRecord,
  MusterError,
  normalizeSortKeys,
  type PutOptions,
  type PutResult,
  type RegistryChange,
  type RegistrySlot,
  type SortKey,
  type SortValue,
  sortValuesOf,
  type Unsubscribe,
} from '@muster/core';
import type { Path } from '@muster/filter';
import { type Filter, MongoClient, type UpdateFilter } from 'mongodb';
import { EventLog } from './event-log.js';
import { type ChangeListener, EventTail } from './event-tail.js';
import {
  documentId,
  fromDocument,
  type IdentityDocument,
  reapDate,
  toDocument,
} from './identity-document.js';
import { keysetCondition, nativeSortField } from './keyset-condition.js';
import { expiredFilter, liveFilter } from './live-filter.js';
import { type MetadataFilter, metadataFilter } from './metadata-filter.js';
import type { MongoRegistryOptions } from './mongo-registry-options.js';
import { MONGO_REGISTRY_SUPPORTS } from './mongo-registry-supports.js';
import { type RegistryCollections, registryCollections } from './registry-collections.js';
import { detectServerQuirks, type ServerQuirks } from './server-quirks.js';
import { isDuplicateKey, toMusterError } from './to-muster-error.js';

const DEFAULT_URL = 'mongodb://127.0.0.1:27017';

/**
 * The MongoDB registry slot. All state lives in the database: one `identities` collection for
 * every namespace (keyed by namespace and identity), plus an event log that `watch` polls, so any
 * number of adapter instances (in any number of processes) share one registry.
 * See the package README for the schema, indexes and the change-event mechanism.
 */
export class MongoRegistry implements RegistrySlot {
  readonly supports = MONGO_REGISTRY_SUPPORTS;
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #collections: RegistryCollections;
  readonly #reapAfterMs: number | undefined;
  readonly #eventRetentionMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #log: EventLog;
  readonly #tail: EventTail;
  readonly #quirksSetting: ServerQuirks;
  /** True on mongo-java-server (decided at setup): some leaves are then refined in Node. */
  #quirks = false;
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: MongoRegistryOptions = {}) {
    this.#ownsClient = options.client === undefined;
    this.#client =
      options.client ??
      new MongoClient(options.url ?? DEFAULT_URL, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
        // Standalone servers (and the test server) have no sessions: nothing to retry with.
        retryWrites: false,
        ...options.clientOptions,
      });
    this.#collections = registryCollections(
      this.#client.db(options.database ?? 'muster'),
      options.collectionPrefix ?? 'registry_',
    );
    const reapAfterSeconds = options.reapAfterSeconds ?? 3_600;
    this.#reapAfterMs = reapAfterSeconds === false ? undefined : reapAfterSeconds * 1_000;
    this.#eventRetentionMs = options.eventRetentionMs ?? 600_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#quirksSetting = options.serverQuirks ?? 'auto';
    this.#log = new EventLog(this.#collections.events);
    this.#tail = new EventTail(this.#collections, this.#log, {
      pollMs: options.watchPollMs ?? 100,
      gapTimeoutMs: options.eventGapTimeoutMs ?? 2_000,
      onError: this.#onError,
    });
  }

  async put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult> {
    checkRecord(record);
    if (options.mode !== 'create' && options.mode !== 'replace')
      throw invalid(`put mode must be 'create' or 'replace'`, 'mode');
    return this.#run('put', async ({ identities }) => {
      const _id = documentId(namespace, record.identity);
      const document = toDocument(namespace, record, this.#reapAfterMs);
      for (;;) {
        // The common case first: a new identity is one insert (the unique _id index decides).
        const inserted = await identities.insertOne(document).then(
          () => true,
          (error: unknown) => {
            if (isDuplicateKey(error)) return false;
            throw error;
          },
        );
        if (inserted) {
          await this.#emit({
            type: 'registered',
            namespace,
            identity: record.identity,
            record,
            at: now,
          });
          return { record };
        }
        if (options.mode === 'replace') {
          // A live record is updated in place, keeping its registeredAt (one atomic step).
          const previous = await identities.findOneAndUpdate(
            { _id, ...liveFilter(namespace, now) },
            this.#replacement(record),
            { returnDocument: 'before' },
          );
          if (previous !== null) {
            const old = fromDocument(previous);
            const stored = { ...record, registeredAt: old.registeredAt };
            await this.#emit({
              type: 'updated',
              namespace,
              identity: record.identity,
              record: stored,
              previous: old,
              at: now,
            });
            return { record: stored, previous: old };
          }
        }
        // Not live: overwrite the expired record, atomically (a sweep may be claiming it too).
        const expired = await identities.findOneAndReplace(
          { _id, ...expiredFilter(namespace, now) },
          document,
          { returnDocument: 'before' },
        );
        if (expired === null) {
          if (options.mode === 'create' && (await this.#isLive(_id, namespace, now)))
            throw new MusterError(
              'ALREADY_EXISTS',
              `identity ${record.identity} is already registered`,
              { details: { field: 'identity', identity: record.identity } },
            );
          continue; // deleted, swept or replaced meanwhile: start over
        }
        // The overwritten expired record is gone for good: report its expiry here, once.
        await this.#emit({
          type: 'expired',
          namespace,
          identity: record.identity,
          previous: fromDocument(expired),
          at: now,
        });
        await this.#emit({
          type: 'registered',
          namespace,
          identity: record.identity,
          record,
          at: now,
        });
        return { record };
      }
    });
  }

  async get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined> {
    return this.#run('get', async ({ identities }) => {
      const document = await identities.findOne({
        _id: documentId(namespace, identity),
        ...liveFilter(namespace, now),
      });
      return document === null ? undefined : fromDocument(document);
    });
  }

  async touch(
    namespace: string,
    identity: string,
    expiresAt: number | null,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    checkExpiresAt(expiresAt);
    return this.#run('touch', async ({ identities }) => {
      const document = await identities.findOneAndUpdate(
        { _id: documentId(namespace, identity), ...liveFilter(namespace, now) },
        this.#expiryUpdate(expiresAt),
        { returnDocument: 'after' },
      );
      return document === null ? undefined : fromDocument(document);
    });
  }

  async touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]> {
    if (!Array.isArray(updates)) throw invalid('updates must be an array', 'updates');
    for (const update of updates) checkExpiresAt(update.expiresAt);
    if (updates.length === 0) return [];
    return this.#run('touch', async ({ identities }) => {
      if (this.#quirks) {
        // mongo-java-server scans the whole collection for a conditional updateOne but finds a
        // live record by _id in findAndModify: one findAndModify per heartbeat, in parallel.
        const touched = await Promise.all(
          updates.map(({ identity, expiresAt }) =>
            identities.findOneAndUpdate(
              { _id: documentId(namespace, identity), ...liveFilter(namespace, now) },
              this.#expiryUpdate(expiresAt),
              { projection: { _id: 1 } },
            ),
          ),
        );
        return updates.flatMap(({ identity }, i) => (touched[i] === null ? [identity] : []));
      }
      // One round trip for the heartbeats; a second one only when some identity was not live.
      const result = await identities.bulkWrite(
        updates.map(({ identity, expiresAt }) => ({
          updateOne: {
            filter: { _id: documentId(namespace, identity), ...liveFilter(namespace, now) },
            update: this.#expiryUpdate(expiresAt),
          },
        })),
        { ordered: false },
      );
      if (result.matchedCount === updates.length) return [];
      const ids = updates.map(({ identity }) => documentId(namespace, identity));
      const live = await identities
        .find({ _id: { $in: ids }, ...liveFilter(namespace, now) }, { projection: { identity: 1 } })
        .toArray();
      const found = new Set(live.map((document) => document.identity));
      return updates.map(({ identity }) => identity).filter((identity) => !found.has(identity));
    });
  }

  async delete(
    namespace: string,
    identity: string,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    return this.#run('delete', async ({ identities }) => {
      // Only a live record: an expired one stays for the sweep, which reports it as expired.
      const document = await identities.findOneAndDelete({
        _id: documentId(namespace, identity),
        ...liveFilter(namespace, now),
      });
      if (document === null) return undefined;
      const previous = fromDocument(document);
      await this.#emit({ type: 'unregistered', namespace, identity, previous, at: now });
      return previous;
    });
  }

  async enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage> {
    if (typeof query !== 'object' || query === null)
      throw invalid('query must be an object', 'query');
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalid('limit must be a positive integer', 'limit');
    const keys = normalizeSortKeys(query.sort);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, keys.length);
    if (after !== undefined) checkCursorTypes(after, keys);
    const includeMetadata = query.includeMetadata !== false;
    return this.#run('enumerate', async (collections) => {
      const filter = metadataFilter(query.filter, this.#quirks);
      const page = keys.every((key) => nativeSortField(key) !== undefined)
        ? await this.#nativePage(collections, namespace, filter, keys, after, limit, now)
        : await this.#metadataSortPage(collections, namespace, filter, keys, after, limit, now);
      const items = includeMetadata
        ? page.items
        : page.items.map((record) => ({ ...record, metadata: {} }));
      const totalCount = query.totalCount
        ? await this.#countMatches(collections, namespace, filter, now)
        : undefined;
      return {
        items,
        exact: true,
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
        ...(totalCount === undefined ? {} : { totalCount }),
      };
    });
  }

  async count(namespace: string, now: number): Promise<number> {
    return this.#run('count', ({ identities }) =>
      identities.countDocuments(liveFilter(namespace, now)),
    );
  }

  async sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]> {
    if (typeof limit !== 'number' || Number.isNaN(limit) || limit < 0)
      throw invalid('limit must be a non-negative number', 'limit');
    if (limit === 0) return [];
    return this.#run('sweep', async (collections) => {
      const { identities } = collections;
      const candidates = await identities
        .find(expiredFilter(namespace, now), {
          projection: { _id: 1 },
          limit: Math.min(limit, 100_000),
        })
        .toArray();
      // Claim by deleting: each findOneAndDelete returns the record to exactly one caller, so
      // concurrent sweepers (in any process) never report an expiry twice.
      const removed = await Promise.all(
        candidates.map(({ _id }) =>
          identities.findOneAndDelete({ _id, ...expiredFilter(namespace, now) }),
        ),
      );
      const records: IdentityRecord[] = [];
      for (const document of removed) if (document !== null) records.push(fromDocument(document));
      for (const previous of records)
        await this.#emit({
          type: 'expired',
          namespace,
          identity: previous.identity,
          previous,
          at: now,
        });
      // Sweeps trim the event log; the newest event stays, as it holds the sequence number.
      await collections.events.deleteMany({
        ns: namespace,
        writtenAt: { $lt: new Date(Date.now() - this.#eventRetentionMs) },
        _id: { $lt: await this.#log.newest() },
      });
      return records;
    });
  }

  async namespaces(): Promise<readonly string[]> {
    return this.#run('list namespaces', async ({ identities }) => {
      const names: unknown[] = await identities.distinct('ns');
      return names.filter((name): name is string => typeof name === 'string');
    });
  }

  async watch(namespace: string, listener: ChangeListener): Promise<Unsubscribe> {
    if (typeof listener !== 'function') throw invalid('listener must be a function', 'listener');
    return this.#run('watch', () => this.#tail.add(namespace, listener));
  }

  async ensureIndexes(namespace: string, paths: readonly Path[]): Promise<void> {
    // One collection holds every namespace, so an index serves them all; `namespace` is not
    // part of its name. Indexes lead with `ns`, as every query does.
    void namespace;
    await this.#run('create indexes', async ({ identities }) => {
      if (paths.length === 0) return;
      await identities.createIndexes(
        paths.map((path) => {
          const field = `metadata.${path.join('.')}`;
          return { key: { ns: 1, [field]: 1 }, name: `ns_${field}` };
        }),
      );
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail.stop();
    if (this.#ownsClient) await this.#client.close();
  }

  /** Runs a database step: closed -> UNAVAILABLE; driver failures -> UNAVAILABLE with cause. */
  async #run<T>(doing: string, step: (collections: RegistryCollections) => Promise<T>): Promise<T> {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the mongodb registry is closed');
    try {
      await this.#setUp();
      return await step(this.#collections);
    } catch (error) {
      throw toMusterError(error, doing);
    }
  }

  /** Creates the collections' own indexes once per instance (retried after a failure). */
  #setUp(): Promise<void> {
    this.#ready ??= (async () => {
      this.#quirks =
        (await detectServerQuirks(this.#client.db('admin'), this.#quirksSetting)) ===
        'mongo-java-server';
      await createBaseIndexes(this.#collections, this.#reapAfterMs !== undefined, this.#onError);
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #emit(change: RegistryChange): Promise<void> {
    await this.#log.append(change);
  }

  async #isLive(_id: string, namespace: string, now: number): Promise<boolean> {
    const live = await this.#collections.identities.findOne(
      { _id, ...liveFilter(namespace, now) },
      { projection: { _id: 1 } },
    );
    return live !== null;
  }

  #replacement(record: IdentityRecord): UpdateFilter<IdentityDocument> {
    const reapAt = reapDate(record.expiresAt, this.#reapAfterMs);
    return {
      $set: {
        metadata: record.metadata,
        updatedAt: record.updatedAt,
        expiresAt: record.expiresAt,
        ...(reapAt === undefined ? {} : { reapAt }),
      },
      ...(reapAt === undefined ? { $unset: { reapAt: '' } } : {}),
    };
  }

  #expiryUpdate(expiresAt: number | null): UpdateFilter<IdentityDocument> {
    const reapAt = reapDate(expiresAt, this.#reapAfterMs);
    return reapAt === undefined
      ? { $set: { expiresAt }, $unset: { reapAt: '' } }
      : { $set: { expiresAt, reapAt } };
  }

  /**
   * Identity and registeredAt orders: sorted and paged by the server (keyset after the cursor).
   * An inexact filter is refined here while reading, so the page is exact and cut at `limit`.
   */
  async #nativePage(
    { identities }: RegistryCollections,
    namespace: string,
    filter: MetadataFilter,
    keys: readonly SortKey[],
    after: readonly SortValue[] | undefined,
    limit: number,
    now: number,
  ): Promise<PageCut> {
    const conditions: Filter<IdentityDocument>[] = [liveFilter(namespace, now), filter.query];
    if (after !== undefined) conditions.push(keysetCondition(keys, after));
    const sort: Record<string, 1 | -1> = {};
    for (const key of keys) sort[nativeSortField(key)!] = key.direction === 'desc' ? -1 : 1;
    const cursor = identities.find(
      { $and: conditions },
      filter.predicate === undefined
        ? { sort, limit: limit + 1 }
        : { sort, batchSize: Math.min(Math.max(limit * 2, 100), 10_000) },
    );
    const items: IdentityRecord[] = [];
    let more = false;
    try {
      for await (const document of cursor) {
        if (filter.predicate !== undefined && !filter.predicate(document.metadata)) continue;
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(fromDocument(document));
      }
    } finally {
      await cursor.close();
    }
    const last = items[items.length - 1];
    return more && last !== undefined
      ? { items, nextCursor: encodeCursor(sortValuesOf(last, keys)) }
      : { items };
  }

  /**
   * Metadata sorts: MongoDB's cross-type order (missing = null, booleans after objects, arrays
   * by their smallest element) is not Muster's, so the matches are sorted here with
   * `compareSortTuples`. The filter still runs in the server; only matches are read.
   */
  async #metadataSortPage(
    { identities }: RegistryCollections,
    namespace: string,
    filter: MetadataFilter,
    keys: readonly SortKey[],
    after: readonly SortValue[] | undefined,
    limit: number,
    now: number,
  ): Promise<PageCut> {
    const documents = await identities
      .find({ $and: [liveFilter(namespace, now), filter.query] })
      .toArray();
    const rows: { record: IdentityRecord; values: SortValue[] }[] = [];
    for (const document of documents) {
      if (filter.predicate !== undefined && !filter.predicate(document.metadata)) continue;
      const record = fromDocument(document);
      const values = sortValuesOf(record, keys);
      if (after === undefined || compareSortTuples(values, after, keys) > 0)
        rows.push({ record, values });
    }
    rows.sort((a, b) => compareSortTuples(a.values, b.values, keys));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => row.record),
      ...(rows.length > limit && last !== undefined
        ? { nextCursor: encodeCursor(last.values) }
        : {}),
    };
  }

  async #countMatches(
    { identities }: RegistryCollections,
    namespace: string,
    filter: MetadataFilter,
    now: number,
  ): Promise<number> {
    const query = { $and: [liveFilter(namespace, now), filter.query] };
    const predicate = filter.predicate;
    if (predicate === undefined) return identities.countDocuments(query);
    let count = 0;
    for await (const document of identities.find(query, { projection: { metadata: 1 } }))
      if (predicate(document.metadata)) count++;
    return count;
  }
}

interface PageCut {
  readonly items: readonly IdentityRecord[];
  readonly nextCursor?: string;
}

async function createBaseIndexes(
  collections: RegistryCollections,
  reap: boolean,
  onError: (error: unknown) => void,
): Promise<void> {
  await collections.identities.createIndexes([
    { key: { ns: 1, identity: 1 }, name: 'ns_identity' },
    { key: { ns: 1, registeredAt: 1, identity: 1 }, name: 'ns_registeredAt_identity' },
    { key: { ns: 1, expiresAt: 1 }, name: 'ns_expiresAt' },
  ]);
  await collections.events.createIndexes([
    { key: { ns: 1, writtenAt: 1 }, name: 'ns_writtenAt' },
    { key: { token: 1 }, name: 'token' },
  ]);
  if (!reap) return;
  // The TTL index: a safety net for real MongoDB. A server that refuses it (or ignores it, as
  // mongo-java-server does) changes nothing about correctness: reads filter by expiry and
  // sweeps remove expired records.
  try {
    await collections.identities.createIndex(
      { reapAt: 1 },
      { name: 'ttl_reapAt', expireAfterSeconds: 0 },
    );
  } catch (error) {
    onError(error);
  }
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
