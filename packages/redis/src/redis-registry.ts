import { createHash } from 'node:crypto';
import {
  checkExpiresAt,
  type EnumeratePage,
  type EnumerateQuery,
  type IdentityRecord,
  MusterError,
  type PutOptions,
  type PutResult,
  type RegistryChange,
  type RegistrySlot,
  type Unsubscribe,
} from '@muster/core';
import type { FilterNode, Path } from '@muster/filter';
import { Redis, type RedisValue } from 'ioredis';
import { Packr } from 'msgpackr';
import { followChanges } from './change-stream.js';
import { enumerateNamespace, matchSource, type ReadContext } from './enumerate-namespace.js';
import type { FilterPlan } from './filter-plan.js';
import { type IndexConfig, readIndexConfig } from './index-config.js';
import { type IndexEntry, indexEntries } from './index-entries.js';
import { type NamespaceKeys, namespaceKeys, namespacesKey } from './namespace-keys.js';
import { type PendingPut, PutBatcher } from './put-batcher.js';
import { type PutFields, pushPutFields } from './put-fields.js';
import { redisError } from './redis-error.js';
import type { RedisRegistryOptions } from './redis-registry-options.js';
import { REDIS_REGISTRY_SUPPORTS } from './redis-registry-supports.js';
import { type RunScript, registryScripts } from './registry-scripts.js';
import { decodeRecord, encodeExpiresAt, encodeRecord } from './stored-record.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
/** Plain MessagePack (no records extension), as Redis's cmsgpack reads it. */
const PACKER = new Packr({ useRecords: false });
const NO_ENTRIES: readonly never[] = Object.freeze([]);
/** The put script's KEYS before the index keys (records, members, expiry, events, config). */
const FIXED_KEYS = 5;
/** Heartbeats per touch script call. */
const TOUCH_BATCH = 200;
/** Expired records per sweep script call. */
const SWEEP_BATCH = 200;
/** Records per backfill script call. */
const BACKFILL_BATCH = 200;

/**
 * The Redis registry slot. State lives only in Redis (see the README for the key layout):
 * several instances, in one process or many, share one registry. Writes are single fixed Lua
 * scripts that update the record, its index entries, the expiry zset and the change stream
 * together. Reads walk indexes or the namespace in bounded chunks.
 */
export class RedisRegistry implements RegistrySlot {
  readonly supports = REDIS_REGISTRY_SUPPORTS;
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #run: RunScript;
  readonly #prefix: string;
  readonly #chunk: number;
  readonly #maxCandidates: number;
  readonly #eventsMaxLength: number;
  readonly #watchBlockMs: number;
  readonly #commandTimeoutMs: number;
  readonly #keys = new Map<string, NamespaceKeys>();
  readonly #configs = new Map<string, IndexConfig>();
  readonly #known = new Set<string>();
  readonly #watches = new Set<Unsubscribe>();
  readonly #puts: PutBatcher<PutWrite, PutResult>;
  #closed = false;

  constructor(options: RedisRegistryOptions = {}) {
    const prefix = options.keyPrefix ?? 'muster';
    if (prefix.length === 0 || /[{}]/.test(prefix))
      throw new MusterError('INVALID_ARGUMENT', 'keyPrefix must be non-empty, without braces', {
        details: { field: 'keyPrefix' },
      });
    this.#prefix = prefix;
    this.#chunk = options.chunkSize ?? 500;
    const putBatch = options.putBatchSize ?? 100;
    if (!Number.isInteger(putBatch) || putBatch < 1 || putBatch > 300)
      throw new MusterError('INVALID_ARGUMENT', 'putBatchSize must be an integer from 1 to 300', {
        details: { field: 'putBatchSize' },
      });
    this.#maxCandidates = options.maxCandidates ?? 25_000;
    this.#eventsMaxLength = options.eventsMaxLength ?? 100_000;
    this.#watchBlockMs = options.watchBlockMs ?? 1_000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    if (options.client !== undefined) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      this.#client = new Redis(options.url ?? process.env.REDIS_URL ?? DEFAULT_URL, {
        enableAutoPipelining: true,
        commandTimeout: this.#commandTimeoutMs,
        connectTimeout: options.connectTimeoutMs ?? 5_000,
        // Fail queued commands after one reconnect attempt: callers get UNAVAILABLE and retry.
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
        ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
        ...options.redisOptions,
      });
      this.#ownsClient = true;
    }
    // Connection errors surface as rejected commands; without a listener ioredis logs each one.
    this.#client.on('error', () => undefined);
    this.#run = registryScripts(this.#client);
    this.#puts = new PutBatcher(
      (namespace, batch) =>
        this.#flushPuts(namespace, batch).catch((error: unknown) => {
          throw redisError(error, 'put');
        }),
      putBatch,
    );
  }

  // Not `async`, and no #guard closure: put is the hot path of a registration burst, and each
  // layer costs a promise per put. Errors of the batch's script call are mapped by the batcher.
  put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult> {
    try {
      if (this.#closed) throw new MusterError('UNAVAILABLE', 'the redis registry is closed');
      if (options.mode !== 'create' && options.mode !== 'replace')
        throw invalid(`put mode must be 'create' or 'replace'`, 'mode');
      if (options.quota !== undefined && (!Number.isInteger(options.quota) || options.quota < 0))
        throw invalid('quota must be a non-negative integer', 'quota');
      checkExpiresAt(record.expiresAt);
      const write: PutWrite = {
        record,
        options,
        now,
        stored: encodeRecord(record),
        expires: encodeExpiresAt(record.expiresAt),
      };
      if (this.#known.has(namespace)) return this.#puts.add(namespace, write);
      return this.#guard('put', async () => {
        await this.#remember(namespace);
        return this.#puts.add(namespace, write);
      });
    } catch (error) {
      return Promise.reject(redisError(error, 'put'));
    }
  }

  /** Writes a batch of puts in one script call; retries the ones that met a concurrent change. */
  async #flushPuts(namespace: string, batch: PendingPut<PutWrite, PutResult>[]): Promise<void> {
    const keys = this.#keysOf(namespace);
    let pending = batch;
    // A create first assumes no stored record (the script answers 'exists' for a live one, and
    // 'conflict' for an expired one, which the next pass reads): new registrations skip a read.
    let firstPass = true;
    while (pending.length > 0) {
      const config = await this.#config(namespace);
      const assumeAbsent = (put: PutWrite) => firstPass && put.options.mode === 'create';
      const read = config.paths.length > 0 && pending.some(({ item }) => !assumeAbsent(item));
      const raws = read
        ? await this.#client.hmget(keys.records, ...pending.map((p) => p.item.record.identity))
        : [];
      // Each index key goes in KEYS once, however many records of the batch it has entries
      // under (a few distinct values spread over a batch's records); entries name it by position.
      const indexKeys: string[] = [];
      const keyPositions = new Map<string, number>();
      const keyPosition = (key: string) => {
        let position = keyPositions.get(key);
        if (position === undefined) {
          position = FIXED_KEYS + 1 + indexKeys.length;
          indexKeys.push(key);
          keyPositions.set(key, position);
        }
        return position;
      };
      // Per-record fields travel packed in one MessagePack argument (the script unpacks them in
      // C with cmsgpack): a thousand separate arguments per call cost more to encode here and to
      // receive in Redis than the writes themselves.
      const fields: PutFields = [];
      for (let i = 0; i < pending.length; i++) {
        const { record, options, now, stored, expires } = pending[i]!.item;
        const raw =
          config.paths.length === 0
            ? undefined
            : assumeAbsent(pending[i]!.item)
              ? null
              : (raws[i] ?? null);
        const old =
          raw === undefined || raw === null
            ? NO_ENTRIES
            : indexEntries(
                keys,
                record.identity,
                decodeRecord(record.identity, raw).metadata,
                config.paths,
              );
        const fresh =
          config.paths.length === 0
            ? NO_ENTRIES
            : indexEntries(keys, record.identity, record.metadata, config.paths);
        pushPutFields(
          fields,
          record.identity,
          options.mode,
          options.quota === undefined ? '' : String(options.quota),
          String(now),
          stored,
          expires,
          raw === undefined ? '*' : raw === null ? '' : sha1(raw),
          old.length,
          fresh.length,
        );
        for (const entry of old) fields.push(keyPosition(entry.key), entry.member);
        for (const entry of fresh)
          fields.push(keyPosition(entry.key), String(entry.score), entry.member);
      }
      const reply = (await this.#run(
        'musterRegistryPut',
        [keys.records, keys.members, keys.expiry, keys.events, keys.config, ...indexKeys],
        [pending.length, config.version, this.#eventsMaxLength, PACKER.pack(fields)],
      )) as string[];
      if (reply[0] === 'stale') {
        this.#configs.delete(namespace);
        continue;
      }
      // One status letter per put, then the values of the 'u' and 'q' statuses in put order.
      const statuses = reply[0]!;
      let value = 1;
      const retry: PendingPut<PutWrite, PutResult>[] = [];
      for (let i = 0; i < pending.length; i++) {
        const pendingPut = pending[i]!;
        const { record, options, now } = pendingPut.item;
        switch (statuses[i]) {
          case 'n':
            pendingPut.resolve({ record });
            break;
          case 'u': {
            const previous = decodeRecord(record.identity, reply[value++]!);
            pendingPut.resolve({
              record: { ...record, registeredAt: previous.registeredAt, updatedAt: now },
              previous,
            });
            break;
          }
          case 'e':
            pendingPut.reject(
              new MusterError(
                'ALREADY_EXISTS',
                `identity ${record.identity} is already registered`,
                { details: { field: 'identity', identity: record.identity } },
              ),
            );
            break;
          case 'q':
            pendingPut.reject(
              new MusterError(
                'QUOTA_EXCEEDED',
                `the namespace holds its quota of ${options.quota} identities`,
                { details: { quota: options.quota, live: Number(reply[value++]) } },
              ),
            );
            break;
          default:
            // 'c' (conflict): the record changed since we read it; read it again.
            retry.push(pendingPut);
        }
      }
      pending = retry;
      firstPass = false;
    }
  }

  async get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined> {
    return this.#guard('get', async () => {
      const raw = await this.#client.hget(this.#keysOf(namespace).records, identity);
      if (raw === null) return undefined;
      const record = decodeRecord(identity, raw);
      return isLive(record, now) ? record : undefined;
    });
  }

  async touch(
    namespace: string,
    identity: string,
    expiresAt: number | null,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    return this.#guard('touch', async () => {
      checkExpiresAt(expiresAt);
      const keys = this.#keysOf(namespace);
      const [raw] = (await this.#run(
        'musterRegistryTouch',
        [keys.records, keys.expiry],
        [now, identity, expiresAt === null ? '' : expiresAt],
      )) as string[];
      return raw === undefined || raw === '' ? undefined : decodeRecord(identity, raw);
    });
  }

  async touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]> {
    return this.#guard('touchMany', async () => {
      if (!Array.isArray(updates)) throw invalid('updates must be an array', 'updates');
      for (const update of updates) checkExpiresAt(update.expiresAt);
      const keys = this.#keysOf(namespace);
      const batches: Promise<string[]>[] = [];
      for (let start = 0; start < updates.length; start += TOUCH_BATCH) {
        const batch = updates.slice(start, start + TOUCH_BATCH);
        const args: RedisValue[] = [now];
        for (const update of batch)
          args.push(update.identity, update.expiresAt === null ? '' : update.expiresAt);
        batches.push(
          this.#run('musterRegistryTouch', [keys.records, keys.expiry], args) as Promise<string[]>,
        );
      }
      const replies = await Promise.all(batches);
      const missing: string[] = [];
      replies.forEach((reply, b) => {
        reply.forEach((raw, i) => {
          if (raw === '') missing.push(updates[b * TOUCH_BATCH + i]!.identity);
        });
      });
      return missing;
    });
  }

  async delete(
    namespace: string,
    identity: string,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    return this.#guard('delete', async () => {
      const keys = this.#keysOf(namespace);
      for (;;) {
        const config = await this.#config(namespace);
        const old = await this.#oldEntries(keys, config, identity);
        const reply = (await this.#run(
          'musterRegistryDelete',
          [
            keys.records,
            keys.members,
            keys.expiry,
            keys.events,
            keys.config,
            ...old.entries.map((entry) => entry.key),
          ],
          [
            identity,
            now,
            config.version,
            old.sha,
            this.#eventsMaxLength,
            ...old.entries.map((entry) => entry.member),
          ],
        )) as string[];
        if (reply[0] === 'ok') return decodeRecord(identity, reply[1]!);
        if (reply[0] === 'absent') return undefined;
        if (reply[0] === 'stale') this.#configs.delete(namespace);
      }
    });
  }

  async enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage> {
    return this.#guard('enumerate', async () => {
      if (typeof query !== 'object' || query === null)
        throw invalid('query must be an object', 'query');
      const keys = this.#keysOf(namespace);
      // Read fresh: another instance may have finished an index since.
      const config = await readIndexConfig(this.#run, keys);
      this.#configs.set(namespace, config);
      return enumerateNamespace(this.#readContext(keys, config), query, now);
    });
  }

  /**
   * How enumerate would find the candidates of a filter in this namespace: by walking the whole
   * namespace, one index zset in identity order, or a bounded candidate set read from range,
   * prefix or union indexes. The way to check that a filter is index-served.
   */
  async explain(namespace: string, filter: FilterNode): Promise<FilterPlan> {
    return this.#guard('explain', async () => {
      const keys = this.#keysOf(namespace);
      const config = await readIndexConfig(this.#run, keys);
      const source = await matchSource(this.#readContext(keys, config), filter);
      if (source.kind === 'list')
        return { walks: 'candidates', candidates: source.identities.length };
      return source.key === keys.members
        ? { walks: 'namespace', key: source.key }
        : { walks: 'index', key: source.key };
    });
  }

  async count(namespace: string, now: number): Promise<number> {
    return this.#guard('count', async () => {
      const keys = this.#keysOf(namespace);
      return Number(await this.#run('musterRegistryCount', [keys.members, keys.expiry], [now]));
    });
  }

  async sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]> {
    return this.#guard('sweep', async () => {
      if (typeof limit !== 'number' || Number.isNaN(limit) || limit < 0)
        throw invalid('limit must be a non-negative number', 'limit');
      const keys = this.#keysOf(namespace);
      const removed: IdentityRecord[] = [];
      while (removed.length < limit) {
        const due = await this.#client.zrangebyscore(
          keys.expiry,
          '-inf',
          now,
          'LIMIT',
          0,
          Math.min(SWEEP_BATCH, limit - removed.length),
        );
        if (due.length === 0) break;
        const config = await this.#config(namespace);
        const raws =
          config.paths.length === 0 ? [] : await this.#client.hmget(keys.records, ...due);
        const indexKeys: string[] = [];
        const args: RedisValue[] = [now, config.version, this.#eventsMaxLength, due.length];
        due.forEach((identity, i) => {
          if (config.paths.length === 0) {
            args.push(identity, '*', 0);
            return;
          }
          const raw = raws[i] ?? null;
          const entries =
            raw === null
              ? []
              : indexEntries(keys, identity, decodeRecord(identity, raw).metadata, config.paths);
          args.push(identity, raw === null ? '' : sha1(raw), entries.length);
          for (const entry of entries) {
            indexKeys.push(entry.key);
            args.push(entry.member);
          }
        });
        const reply = (await this.#run(
          'musterRegistrySweep',
          [keys.records, keys.members, keys.expiry, keys.events, keys.config, ...indexKeys],
          args,
        )) as string[];
        if (reply[0] === 'stale') {
          this.#configs.delete(namespace);
          continue;
        }
        for (let i = 0; i < reply.length; i += 2)
          removed.push(decodeRecord(reply[i]!, reply[i + 1]!));
        // Another sweeper took these first: leave the rest to the next call.
        if (reply.length === 0) break;
      }
      return removed;
    });
  }

  async namespaces(): Promise<readonly string[]> {
    return this.#guard('namespaces', async () => {
      const names = await this.#client.smembers(namespacesKey(this.#prefix));
      const sizes = await Promise.all(
        names.map((name) => this.#client.zcard(this.#keysOf(name).members)),
      );
      return names.filter((_, i) => sizes[i]! > 0);
    });
  }

  async watch(namespace: string, listener: (change: RegistryChange) => void): Promise<Unsubscribe> {
    return this.#guard('watch', async () => {
      if (typeof listener !== 'function') throw invalid('listener must be a function', 'listener');
      // A blocking XREAD holds its connection: each watch reads on a connection of its own.
      const reader = this.#client.duplicate({
        enableAutoPipelining: false,
        commandTimeout: this.#watchBlockMs + this.#commandTimeoutMs,
        maxRetriesPerRequest: null,
      });
      reader.on('error', () => undefined);
      try {
        const stop = await followChanges(
          this.#client,
          reader,
          this.#keysOf(namespace).events,
          namespace,
          this.#watchBlockMs,
          listener,
        );
        const unsubscribe: Unsubscribe = async () => {
          this.#watches.delete(unsubscribe);
          await stop();
        };
        this.#watches.add(unsubscribe);
        return unsubscribe;
      } catch (error) {
        reader.disconnect();
        throw error;
      }
    });
  }

  async ensureIndexes(namespace: string, paths: readonly Path[]): Promise<void> {
    return this.#guard('ensureIndexes', async () => {
      if (paths.length === 0) return;
      const keys = this.#keysOf(namespace);
      await this.#remember(namespace);
      const wanted = paths.map((path) => JSON.stringify(path));
      await this.#run('musterRegistryAddPaths', [keys.config, keys.indexedPaths], wanted);
      this.#configs.delete(namespace);
      // Backfill the records written before the paths were indexed, chunk by chunk.
      let bound = '-';
      for (;;) {
        const identities = await this.#client.zrangebylex(
          keys.members,
          bound,
          '+',
          'LIMIT',
          0,
          BACKFILL_BATCH,
        );
        if (identities.length === 0) break;
        await this.#backfill(namespace, keys, identities, paths);
        if (identities.length < BACKFILL_BATCH) break;
        bound = `(${identities[identities.length - 1]}`;
      }
      await this.#client.sadd(keys.readyPaths, ...wanted);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#watches].map((unsubscribe) => unsubscribe()));
    if (this.#ownsClient) {
      try {
        await this.#client.quit();
      } catch {
        this.#client.disconnect();
      }
    }
  }

  async #backfill(
    namespace: string,
    keys: NamespaceKeys,
    identities: readonly string[],
    paths: readonly Path[],
  ): Promise<void> {
    for (;;) {
      const config = await this.#config(namespace);
      const raws = await this.#client.hmget(keys.records, ...identities);
      const indexKeys: string[] = [];
      const args: RedisValue[] = [config.version, 0];
      let count = 0;
      identities.forEach((identity, i) => {
        const raw = raws[i] ?? null;
        if (raw === null) return;
        const entries = indexEntries(keys, identity, decodeRecord(identity, raw).metadata, paths);
        args.push(identity, sha1(raw), entries.length);
        for (const entry of entries) {
          indexKeys.push(entry.key);
          args.push(entry.score, entry.member);
        }
        count++;
      });
      args[1] = count;
      const reply = await this.#run(
        'musterRegistryBackfill',
        [keys.records, keys.config, ...indexKeys],
        args,
      );
      if (!Array.isArray(reply)) return;
      this.#configs.delete(namespace);
    }
  }

  #readContext(keys: NamespaceKeys, config: IndexConfig): ReadContext {
    return {
      client: this.#client,
      run: this.#run,
      keys,
      config,
      chunk: this.#chunk,
      maxCandidates: this.#maxCandidates,
    };
  }

  /** The index entries of the stored record (and its SHA1), when the namespace has indexes. */
  async #oldEntries(
    keys: NamespaceKeys,
    config: IndexConfig,
    identity: string,
  ): Promise<{ readonly entries: readonly IndexEntry[]; readonly sha: string }> {
    if (config.paths.length === 0) return { entries: [], sha: '*' };
    const raw = await this.#client.hget(keys.records, identity);
    if (raw === null) return { entries: [], sha: '' };
    const metadata = decodeRecord(identity, raw).metadata;
    return { entries: indexEntries(keys, identity, metadata, config.paths), sha: sha1(raw) };
  }

  async #config(namespace: string): Promise<IndexConfig> {
    let config = this.#configs.get(namespace);
    if (config === undefined) {
      config = await readIndexConfig(this.#run, this.#keysOf(namespace));
      this.#configs.set(namespace, config);
    }
    return config;
  }

  /** Adds the namespace to the set `namespaces()` reads, once per instance. */
  async #remember(namespace: string): Promise<void> {
    if (this.#known.has(namespace)) return;
    await this.#client.sadd(namespacesKey(this.#prefix), namespace);
    this.#known.add(namespace);
  }

  #keysOf(namespace: string): NamespaceKeys {
    let keys = this.#keys.get(namespace);
    if (keys === undefined) {
      keys = namespaceKeys(this.#prefix, namespace);
      this.#keys.set(namespace, keys);
    }
    return keys;
  }

  async #guard<T>(action: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the redis registry is closed');
    try {
      return await body();
    } catch (error) {
      throw redisError(error, action);
    }
  }
}

/** A put waiting in the batcher, its record already encoded. */
interface PutWrite {
  readonly record: IdentityRecord;
  readonly options: PutOptions;
  readonly now: number;
  /** The record as stored when it replaces nothing live (encodeRecord). */
  readonly stored: string;
  readonly expires: string;
}

function isLive(record: IdentityRecord, now: number): boolean {
  return record.expiresAt === null || record.expiresAt > now;
}

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
