import {
  checkRetention,
  DEFAULT_RETENTION,
  type DeliveryMark,
  type DurabilitySlot,
  type DurabilitySupports,
  type Envelope,
  type MulticastReport,
  MusterError,
  type QueuedMessage,
  type RetentionPolicy,
  type Unsubscribe,
} from '@muster/core';
import type { Redis, RedisValue } from 'ioredis';
import { checkKeyPrefix } from './check-key-prefix.js';
import { decodeBody, encodeBody } from './envelope-body.js';
import { closeConnection, openConnection } from './open-connection.js';
import { type QueueKeys, queueKeys } from './queue-keys.js';
import { queueScripts, type RunQueueScript } from './queue-scripts.js';
import { redisError } from './redis-error.js';
import { DEFAULT_KEY_PREFIX, type RedisSlotOptions } from './redis-slot-options.js';
import { decodeReport, encodeReport } from './report-body.js';
import { reportKey } from './report-keys.js';
import { type RunReportScript, reportScripts } from './report-scripts.js';
import { SubscriberLink } from './subscriber-link.js';

export const REDIS_DURABILITY_SUPPORTS: DurabilitySupports = Object.freeze({
  retention: true,
  notify: true,
  distributed: true,
  reports: true,
});

export interface RedisDurabilityOptions extends RedisSlotOptions {
  /**
   * Applied to every namespace: `maxLength` on every enqueue (`XADD … MAXLEN`, the oldest go
   * first), `maxAgeMs` by `createdAt` against the caller's `now` (hidden from `read` at once,
   * deleted by `trim`). Default DEFAULT_RETENTION (7 days, 10,000 per identity); `{}` keeps
   * everything until acked or purged.
   */
  readonly retention?: RetentionPolicy;
}

const WHAT = 'the redis durability slot';
/** Most envelopes per enqueue script call (a bigger batch is several calls, in order). */
const ENQUEUE_CHUNK = 1_000;
/** Identities whose oldest message may have expired, looked at per trim round. */
const TRIM_CHUNK = 500;
/**
 * How long Redis keeps a report (or marks waiting for one) after its expiresAt before deleting
 * it on its own: loads compare the stored expiresAt with the caller's clock, so the key's own
 * expiry (server clock) only has to come later, with room for clocks that disagree.
 */
export const REPORT_EXPIRY_GRACE_MS = 60_000;
/** Field names of a report hash (see `reportKey`). */
const BODY_FIELD = 'b';
const EXPIRES_FIELD = 'e';
const MARK_PREFIX = 'm:';

interface Listener {
  readonly notify: () => void;
  active: boolean;
}

/**
 * The Redis Streams durability slot: one stream per identity, `{prefix:ns}:q:<identity token>`.
 * Entry ids are `0-<sequence>`, the sequence drawn from one counter per namespace inside the
 * enqueue script, so sequences are plain increasing integers, never reused (not after acks, not
 * after a purge). `read` does not consume (XRANGE after a position); `ack` deletes the entries
 * (XDEL; the stream goes with its last entry); `purge` deletes the stream. A batch for many
 * identities is one script call, which also publishes one "ready" message per identity on
 * `{prefix:ns}:q-ready:<identity token>` after storing: `onAvailable` listens there.
 * Multicast reports (`supports.reports`): one hash per multicast, `{prefix:ns}:report:<id token>`
 * (see `reportKey`), the report as one binary value beside its delivery marks.
 */
export function createRedisDurability(options: RedisDurabilityOptions = {}): DurabilitySlot {
  const prefix = checkKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  const retention = checkRetention(options.retention ?? DEFAULT_RETENTION);
  return new RedisDurability(prefix, retention, options);
}

class RedisDurability implements DurabilitySlot {
  readonly supports = REDIS_DURABILITY_SUPPORTS;
  readonly #prefix: string;
  readonly #maxAgeMs: number | undefined;
  readonly #maxLength: number;
  readonly #options: RedisSlotOptions;
  readonly #client: Redis;
  readonly #run: RunQueueScript;
  readonly #runReport: RunReportScript;
  readonly #keys = new Map<string, QueueKeys>();
  #subscriber: SubscriberLink | undefined;
  readonly #listeners = new Map<string, readonly Listener[]>();
  #closed = false;

  constructor(prefix: string, retention: RetentionPolicy, options: RedisSlotOptions) {
    this.#prefix = prefix;
    this.#maxAgeMs = retention.maxAgeMs;
    this.#maxLength = retention.maxLength ?? -1;
    this.#options = options;
    this.#client = openConnection(options, true);
    this.#run = queueScripts(this.#client);
    this.#runReport = reportScripts(this.#client);
  }

  async enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    _now: number,
  ): Promise<readonly number[]> {
    this.#check();
    if (envelopes.length === 0) return [];
    const keys = this.#keysOf(namespace);
    const chunks: Promise<number>[] = [];
    for (let start = 0; start < envelopes.length; start += ENQUEUE_CHUNK)
      chunks.push(this.#enqueueChunk(keys, envelopes.slice(start, start + ENQUEUE_CHUNK)));
    let firsts: number[];
    try {
      firsts = await Promise.all(chunks);
    } catch (error) {
      throw redisError(error, 'enqueue');
    }
    const sequences = new Array<number>(envelopes.length);
    for (let i = 0; i < envelopes.length; i++)
      sequences[i] = firsts[Math.floor(i / ENQUEUE_CHUNK)]! + (i % ENQUEUE_CHUNK);
    return sequences;
  }

  async read(
    namespace: string,
    identity: string,
    options: { readonly after?: number; readonly limit: number },
    now: number,
  ): Promise<readonly QueuedMessage[]> {
    const { limit, after } = options;
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw invalid(`read limit must be a non-negative integer, not ${limit}`, 'limit');
    if (after !== undefined && !(Number.isSafeInteger(after) && after >= 0))
      throw invalid(`read after must be a non-negative integer, not ${after}`, 'after');
    this.#check();
    if (limit === 0) return [];
    const stream = this.#keysOf(namespace).stream(identity);
    const minCreatedAt = this.#maxAgeMs === undefined ? -Infinity : now - this.#maxAgeMs;
    const messages: QueuedMessage[] = [];
    let start = after === undefined ? '-' : `0-${after + 1}`;
    // Usually one round trip; more only when expired entries (hidden, not yet trimmed) took room.
    for (;;) {
      const wanted = limit - messages.length;
      let entries: [Buffer, Buffer[]][];
      try {
        entries = await this.#client.xrangeBuffer(stream, start, '+', 'COUNT', wanted);
      } catch (error) {
        throw redisError(error, 'read');
      }
      for (const [id, fields] of entries) {
        const decoded = decodeBody(fields[3]!);
        if (decoded === undefined || decoded.envelope.createdAt < minCreatedAt) continue;
        messages.push({ sequence: sequenceOf(id), envelope: decoded.envelope });
      }
      if (entries.length < wanted || messages.length >= limit) return messages;
      start = `(${entries[entries.length - 1]![0].toString()}`;
    }
  }

  async ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void> {
    this.#check();
    const ids: string[] = [];
    for (const sequence of sequences)
      if (Number.isSafeInteger(sequence) && sequence > 0) ids.push(`0-${sequence}`);
    if (ids.length === 0) return;
    const keys = this.#keysOf(namespace);
    try {
      await this.#run('musterQueueAck', [keys.stream(identity), keys.oldest], [identity, ...ids]);
    } catch (error) {
      throw redisError(error, 'ack');
    }
  }

  async purge(namespace: string, identity: string): Promise<void> {
    this.#check();
    const keys = this.#keysOf(namespace);
    try {
      await this.#run('musterQueuePurge', [keys.stream(identity), keys.oldest], [identity]);
    } catch (error) {
      throw redisError(error, 'purge');
    }
  }

  /**
   * Length is enforced on every enqueue. Age: the identities whose oldest message may be
   * expired (the `oldest` zset holds a lower bound per identity) each get one trim script call.
   */
  async trim(namespace: string, now: number): Promise<void> {
    this.#check();
    if (this.#maxAgeMs === undefined) return;
    const keys = this.#keysOf(namespace);
    const minCreatedAt = now - this.#maxAgeMs;
    try {
      // Each round removes its identities from the range (or raises their scores to >= min).
      for (let round = 0; round < 10_000; round++) {
        const identities = await this.#client.zrangebyscore(
          keys.oldest,
          '-inf',
          `(${minCreatedAt}`,
          'LIMIT',
          0,
          TRIM_CHUNK,
        );
        await Promise.all(
          identities.map((identity) =>
            this.#run(
              'musterQueueTrim',
              [keys.stream(identity), keys.oldest],
              [identity, minCreatedAt],
            ),
          ),
        );
        if (identities.length < TRIM_CHUNK) return;
      }
    } catch (error) {
      throw redisError(error, 'trim');
    }
  }

  async onAvailable(
    namespace: string,
    identity: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    this.#check();
    const channel = this.#keysOf(namespace).ready(identity);
    const subscriber = this.#subscriberLink();
    const entry: Listener = { notify: listener, active: true };
    this.#listeners.set(channel, [...(this.#listeners.get(channel) ?? []), entry]);
    const stop = async (): Promise<void> => {
      if (!entry.active) return;
      entry.active = false;
      const rest = (this.#listeners.get(channel) ?? []).filter((l) => l !== entry);
      if (rest.length > 0) {
        this.#listeners.set(channel, rest);
        return;
      }
      this.#listeners.delete(channel);
      await subscriber.unlisten(channel).catch(() => undefined);
    };
    try {
      await subscriber.listen(channel, () => notifyAll(this.#listeners.get(channel)));
    } catch (error) {
      await stop();
      throw error;
    }
    return stop;
  }

  /** One script call: the report as one value in its hash, marks kept, no read first. */
  async saveReport(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    this.#check();
    checkTime(expiresAt, 'expiresAt');
    const key = reportKey(this.#prefix, namespace, report.multicastId);
    const body = encodeReport(report);
    try {
      await this.#runReport(
        'musterReportSave',
        [key],
        [body, String(expiresAt), Math.ceil(expiresAt) + REPORT_EXPIRY_GRACE_MS],
      );
    } catch (error) {
      throw redisError(error, 'saveReport');
    }
  }

  /** One script call for the whole batch, whatever the number of multicasts it touches. */
  async markDelivered(
    namespace: string,
    marks: readonly DeliveryMark[],
    now: number,
  ): Promise<void> {
    this.#check();
    checkTime(now, 'now');
    if (marks.length === 0) return;
    const byReport = new Map<string, DeliveryMark[]>();
    for (const mark of marks) {
      checkTime(mark.expiresAt, 'expiresAt');
      const group = byReport.get(mark.multicastId);
      if (group === undefined) byReport.set(mark.multicastId, [mark]);
      else group.push(mark);
    }
    const keys: string[] = [];
    const args: RedisValue[] = [String(now), REPORT_EXPIRY_GRACE_MS];
    for (const [multicastId, group] of byReport) {
      keys.push(reportKey(this.#prefix, namespace, multicastId));
      args.push(group.length);
      for (const mark of group) args.push(mark.identity, String(mark.expiresAt));
    }
    try {
      await this.#runReport('musterReportMark', keys, args);
    } catch (error) {
      throw redisError(error, 'markDelivered');
    }
  }

  /** One HGETALL: the body, its expiresAt and the marks come in one reply. */
  async loadReport(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    this.#check();
    const key = reportKey(this.#prefix, namespace, multicastId);
    let fields: Record<string, Buffer>;
    try {
      // Through the auto-pipeline, like the save: a load sent after a save sees it.
      fields = await this.#client.hgetallBuffer(key);
    } catch (error) {
      throw redisError(error, 'loadReport');
    }
    const body = fields[BODY_FIELD];
    const expiresAt = Number(fields[EXPIRES_FIELD]?.toString());
    // Not deleted here: with several callers' clocks, the one that runs ahead must not decide.
    if (body === undefined || !(now < expiresAt)) return undefined;
    const delivered = new Set<string>();
    for (const field in fields)
      if (field.startsWith(MARK_PREFIX)) delivered.add(field.slice(MARK_PREFIX.length));
    return decodeReport(body, delivered);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const listeners of this.#listeners.values()) for (const l of listeners) l.active = false;
    this.#listeners.clear();
    await Promise.all([this.#subscriber?.close(), closeConnection(this.#client)]);
  }

  /** One script call: returns the chunk's first sequence (the rest follow one by one). */
  async #enqueueChunk(keys: QueueKeys, envelopes: readonly Envelope[]): Promise<number> {
    const streams: string[] = [];
    const streamIndex = new Map<string, number>();
    const oldest = new Map<string, number>();
    const args: RedisValue[] = [this.#maxLength, envelopes.length];
    for (const envelope of envelopes) {
      const identity = envelope.identity;
      let index = streamIndex.get(identity);
      if (index === undefined) {
        index = streams.length + 1;
        streamIndex.set(identity, index);
        streams.push(keys.stream(identity));
      }
      const createdAt = envelope.createdAt;
      const known = oldest.get(identity);
      if (known === undefined || createdAt < known) oldest.set(identity, createdAt);
      args.push(index, createdAt, encodeBody(envelope));
    }
    for (const [identity, createdAt] of oldest)
      args.push(identity, createdAt, keys.ready(identity));
    const first = await this.#run(
      'musterQueueEnqueue',
      [keys.sequence, keys.oldest, ...streams],
      args,
    );
    return Number(first);
  }

  /** The notification connection, opened on the first `onAvailable`. */
  #subscriberLink(): SubscriberLink {
    if (this.#subscriber === undefined) {
      const link = new SubscriberLink(openConnection(this.#options, false));
      // Notifications published while the link was down are lost: wake every reader once.
      link.onRestored(() => {
        for (const listeners of this.#listeners.values()) notifyAll(listeners);
      });
      this.#subscriber = link;
    }
    return this.#subscriber;
  }

  #keysOf(namespace: string): QueueKeys {
    let keys = this.#keys.get(namespace);
    if (keys === undefined) {
      keys = queueKeys(this.#prefix, namespace);
      this.#keys.set(namespace, keys);
    }
    return keys;
  }

  #check(): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', `${WHAT} is closed`);
  }
}

/** The sequence of an entry id `0-<sequence>`. */
function sequenceOf(id: Buffer): number {
  const text = id.toString();
  return Number(text.slice(text.indexOf('-') + 1));
}

/** Runs each active listener once; one that throws does not stop the others. */
function notifyAll(listeners: readonly Listener[] | undefined): void {
  if (listeners === undefined) return;
  for (const listener of listeners) {
    if (!listener.active) continue;
    try {
      listener.notify();
    } catch {
      // A listener's failure is its own.
    }
  }
}

function checkTime(value: number, field: string): void {
  if (!Number.isFinite(value))
    throw invalid(`${field} must be a finite epoch time in ms, not ${value}`, field);
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
