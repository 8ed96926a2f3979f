import {
  DEFAULT_RETENTION,
  type DeliveryMark,
  type DurabilitySlot,
  type DurabilitySupports,
  type Envelope,
  encodeIdentityToken,
  MAX_REPORT_RETENTION_MS,
  type MulticastReport,
  MusterError,
  type QueuedMessage,
  type RetentionPolicy,
  type Unsubscribe,
} from '@muster/core';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { Empty, headers, type Subscription } from '@nats-io/transport-node';
import { decodeEnvelope, envelopeEncoder } from './envelope-codec.js';
import { InboxRequests } from './inbox-requests.js';
import {
  apiReply,
  directGetReply,
  pubAckSequence,
  type StoredMessage,
} from './jetstream-replies.js';
import { JetStreamReportStore } from './jetstream-report-store.js';
import { NatsLink } from './nats-link.js';
import { DEFAULT_SUBJECT_PREFIX, type NatsSlotOptions } from './nats-slot-options.js';
import { RequestLimiter } from './request-limiter.js';
import { type StreamStorage, streamConfig } from './stream-config.js';
import { checkSubjectPrefix, notifySubjectBase, queueSubjectBase, streamName } from './subjects.js';

export const JETSTREAM_DURABILITY_SUPPORTS: DurabilitySupports = Object.freeze({
  retention: true,
  notify: true,
  distributed: true,
  reports: true,
});

export interface JetStreamDurabilityOptions extends NatsSlotOptions {
  /**
   * Applied to every namespace's stream: `maxLength` becomes `max_msgs_per_subject` (the server
   * drops the oldest on enqueue), `maxAgeMs` becomes `max_age` (by storage time) and is also
   * applied by `createdAt` against the caller's `now` in `read` and `trim`. Default
   * DEFAULT_RETENTION (7 days, 10,000 per identity); `{}` keeps everything until acked or purged.
   */
  readonly retention?: RetentionPolicy;
  /** Stream storage. Default `file` (messages survive a server restart). */
  readonly storage?: StreamStorage;
  /** Stream replicas (on a JetStream cluster). Default 1. */
  readonly replicas?: number;
  /** Most JetStream requests (direct gets, deletes) this slot has in flight at once. Default 256. */
  readonly maxInFlight?: number;
  /**
   * How long the server keeps multicast reports and marks on its own (the report stream's
   * `max_age`, in ms). Loads already hide a report at its `expiresAt`; this only frees the
   * space. Default MAX_REPORT_RETENTION_MS plus one hour; a report meant to live longer than
   * this is dropped early.
   */
  readonly reportMaxAgeMs?: number;
}

const WHAT = 'the JetStream durability slot';
/** JSStreamMsgDeleteFailedF: what a delete of a message that is not there answers ("no message found"). */
const MESSAGE_DELETE_FAILED = 10057;
/** Sequence → subject of messages this slot stored or read, so acking them needs no lookup. */
const OWNERS_LIMIT = 100_000;
const API = '$JS.API';
/** The server's default max_payload, should the connection not say. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const HOUR = 3_600_000;
const ENCODER = new TextEncoder();

interface Listener {
  readonly notify: () => void;
  active: boolean;
}

interface SubjectListeners {
  readonly subscription: Subscription;
  listeners: readonly Listener[];
}

/**
 * The JetStream durability slot: one stream per namespace (subjects `<prefix>.q.<ns token>.>`),
 * one subject per identity, the stream sequence as the queue position. `read` does not consume
 * (direct gets by subject from a position), `ack` deletes the message, `purge` purges the
 * identity's subject. Enqueue publishes the batch pipelined (one flush, one PubAck each, with
 * the message id as `Nats-Msg-Id`, so a retried batch is not stored twice), then a small
 * notification per identity on `<prefix>.n.<ns token>.<identity token>`, sent after the store:
 * `onAvailable` listens there and never wakes a reader before its message can be read.
 */
export async function createJetStreamDurability(
  options: JetStreamDurabilityOptions = {},
): Promise<DurabilitySlot> {
  const prefix = checkSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
  const retention = checkRetention(options.retention ?? DEFAULT_RETENTION);
  const reportMaxAgeMs = options.reportMaxAgeMs ?? MAX_REPORT_RETENTION_MS + HOUR;
  if (!(Number.isSafeInteger(reportMaxAgeMs) && reportMaxAgeMs >= 1))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `reportMaxAgeMs must be a positive integer, not ${reportMaxAgeMs}`,
      { details: { field: 'reportMaxAgeMs' } },
    );
  const link = await NatsLink.open(options, WHAT);
  let manager: JetStreamManager;
  try {
    manager = await jetstreamManager(link.connection, { timeout: link.timeoutMs });
  } catch (error) {
    await link.close();
    throw new MusterError('UNAVAILABLE', `${WHAT}: JetStream is not available`, { cause: error });
  }
  return new JetStreamDurability(link, manager, prefix, retention, reportMaxAgeMs, options);
}

class JetStreamDurability implements DurabilitySlot {
  readonly supports = JETSTREAM_DURABILITY_SUPPORTS;
  readonly #link: NatsLink;
  readonly #manager: JetStreamManager;
  /** PubAcks, direct gets and deletes: the per-message round trips. */
  readonly #requests: InboxRequests;
  readonly #prefix: string;
  readonly #retention: RetentionPolicy;
  readonly #storage: StreamStorage;
  readonly #replicas: number;
  /** Streams this slot has created or updated, by namespace. */
  readonly #streams = new Map<string, Promise<string>>();
  /** Streams this slot has seen exist (created by another slot, perhaps). */
  readonly #seen = new Set<string>();
  readonly #owners = new Map<string, Map<number, string>>();
  #ownerCount = 0;
  readonly #listening = new Map<string, SubjectListeners>();
  readonly #stopReconnect: () => void;
  readonly #limiter: RequestLimiter;
  readonly #reports: JetStreamReportStore;

  constructor(
    link: NatsLink,
    manager: JetStreamManager,
    prefix: string,
    retention: RetentionPolicy,
    reportMaxAgeMs: number,
    options: JetStreamDurabilityOptions,
  ) {
    this.#link = link;
    this.#manager = manager;
    this.#requests = new InboxRequests(link.connection, link.timeoutMs, WHAT);
    this.#prefix = prefix;
    this.#retention = retention;
    this.#storage = options.storage ?? 'file';
    this.#replicas = options.replicas ?? 1;
    this.#limiter = new RequestLimiter(options.maxInFlight ?? 256);
    this.#reports = new JetStreamReportStore(
      this.#requests,
      this.#limiter,
      manager,
      jetstream(link.connection, { timeout: link.timeoutMs }),
      link.timeoutMs,
      {
        prefix,
        maxAgeMs: reportMaxAgeMs,
        storage: this.#storage,
        replicas: this.#replicas,
        maxPayload: link.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD,
      },
      WHAT,
    );
    // Notifications sent while this connection was down are lost: wake every reader.
    this.#stopReconnect = link.onReconnect(() => {
      for (const shared of this.#listening.values()) notifyAll(shared.listeners);
    });
  }

  async enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    _now: number,
  ): Promise<readonly number[]> {
    this.#link.check(WHAT);
    if (envelopes.length === 0) return [];
    const stream = await this.#stream(namespace);
    const base = queueSubjectBase(this.#prefix, namespace);
    const subjects = envelopes.map((envelope) => base + encodeIdentityToken(envelope.identity));
    const encode = envelopeEncoder();
    const requests = this.#requests;
    // Pipelined: every publish is written before the first PubAck comes back. The message id
    // as Nats-Msg-Id makes JetStream store a retried batch once.
    const acks = await Promise.allSettled(
      envelopes.map((envelope, i) => {
        const h = headers();
        h.set('Nats-Msg-Id', envelope.messageId);
        return requests.request(subjects[i]!, encode(envelope), h);
      }),
    );
    const sequences = new Array<number>(envelopes.length);
    for (let i = 0; i < acks.length; i++) {
      const ack = acks[i]!;
      let sequence: number;
      try {
        if (ack.status === 'rejected') throw ack.reason;
        sequence = pubAckSequence(ack.value, WHAT);
      } catch (error) {
        // The stream may have been deleted behind this slot's back: make sure of it next time.
        this.#streams.delete(namespace);
        throw unavailable(`${WHAT}: JetStream did not store the batch`, error);
      }
      sequences[i] = sequence;
      this.#remember(stream, sequence, subjects[i]!);
    }
    this.#notify(namespace, envelopes);
    return sequences;
  }

  async read(
    namespace: string,
    identity: string,
    options: { readonly after?: number; readonly limit: number },
    now: number,
  ): Promise<readonly QueuedMessage[]> {
    const limit = options.limit;
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new MusterError(
        'INVALID_ARGUMENT',
        `read limit must be a non-negative integer, not ${limit}`,
        { details: { field: 'limit' } },
      );
    this.#link.check(WHAT);
    if (limit === 0) return [];
    const stream = await this.#existing(namespace);
    if (stream === null) return [];
    const subject = queueSubjectBase(this.#prefix, namespace) + encodeIdentityToken(identity);
    const minCreatedAt = this.#minCreatedAt(now);
    // The first candidate and the subject's last message together: a read of one message (the
    // common case, a live at-least-once delivery) is one round trip.
    const [first, last] = await Promise.all([
      this.#get(stream, { seq: Math.max(0, options.after ?? 0) + 1, next_by_subj: subject }),
      this.#get(stream, { last_by_subj: subject }),
    ]);
    const messages: QueuedMessage[] = [];
    let stored = first;
    while (stored !== null && messages.length < limit) {
      this.#remember(stream, stored.seq, subject);
      const envelope = decodeEnvelope(stored.data, identity);
      if (envelope !== undefined && envelope.createdAt >= minCreatedAt)
        messages.push({ sequence: stored.seq, envelope });
      if (last === null || stored.seq >= last.seq) break;
      stored = await this.#get(stream, { seq: stored.seq + 1, next_by_subj: subject });
    }
    return messages;
  }

  async ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void> {
    this.#link.check(WHAT);
    if (sequences.length === 0) return;
    const stream = await this.#existing(namespace);
    if (stream === null) return;
    const subject = queueSubjectBase(this.#prefix, namespace) + encodeIdentityToken(identity);
    const owners = this.#owners.get(stream);
    await Promise.all(
      [...new Set(sequences)].map(async (sequence) => {
        if (!Number.isSafeInteger(sequence) || sequence < 1) return;
        let owner = owners?.get(sequence);
        if (owner === undefined) owner = (await this.#get(stream, { seq: sequence }))?.subject;
        // Only this identity's messages: an ack never removes another identity's message.
        if (owner !== subject) return;
        await this.#delete(stream, sequence);
        if (owners?.delete(sequence)) this.#ownerCount--;
      }),
    );
  }

  async purge(namespace: string, identity: string): Promise<void> {
    this.#link.check(WHAT);
    const stream = streamName(this.#prefix, namespace);
    const subject = queueSubjectBase(this.#prefix, namespace) + encodeIdentityToken(identity);
    try {
      await this.#manager.streams.purge(stream, { filter: subject });
    } catch (error) {
      if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return;
      throw unavailable(`${WHAT}: purge failed`, error);
    }
  }

  /**
   * Length is enforced by the server on every enqueue (`max_msgs_per_subject`). Age: drops
   * expired messages from the head of the stream, in stream order, up to the first live one
   * (read hides expired messages anywhere; the stream's `max_age` removes stragglers).
   */
  async trim(namespace: string, now: number): Promise<void> {
    this.#link.check(WHAT);
    if (this.#retention.maxAgeMs === undefined) return;
    const stream = await this.#existing(namespace);
    if (stream === null) return;
    const all = `${queueSubjectBase(this.#prefix, namespace)}>`;
    const minCreatedAt = this.#minCreatedAt(now);
    let stored = await this.#get(stream, { seq: 1, next_by_subj: all });
    const expired: number[] = [];
    while (stored !== null) {
      const envelope = decodeEnvelope(stored.data);
      if (envelope !== undefined && envelope.createdAt >= minCreatedAt) break;
      expired.push(stored.seq);
      stored = await this.#get(stream, { seq: stored.seq + 1, next_by_subj: all });
    }
    await Promise.all(expired.map((sequence) => this.#delete(stream, sequence)));
  }

  async onAvailable(
    namespace: string,
    identity: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    this.#link.check(WHAT);
    const subject = notifySubjectBase(this.#prefix, namespace) + encodeIdentityToken(identity);
    let shared = this.#listening.get(subject);
    if (shared === undefined) {
      const created: SubjectListeners = {
        listeners: [],
        subscription: this.#link.connection.subscribe(subject, {
          callback: (error) => {
            if (error === null) notifyAll(created.listeners);
          },
        }),
      };
      shared = created;
      this.#listening.set(subject, shared);
    }
    const entry: Listener = { notify: listener, active: true };
    shared.listeners = [...shared.listeners, entry];
    const current = shared;
    const stop = async (): Promise<void> => {
      if (!entry.active) return;
      entry.active = false;
      current.listeners = current.listeners.filter((l) => l !== entry);
      if (current.listeners.length === 0 && this.#listening.get(subject) === current) {
        this.#listening.delete(subject);
        if (!this.#link.connection.isClosed()) current.subscription.unsubscribe();
      }
    };
    try {
      await this.#link.flushSoon(WHAT);
    } catch (error) {
      await stop();
      throw error;
    }
    return stop;
  }

  async saveReport(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    this.#link.check(WHAT);
    await this.#reports.save(namespace, report, expiresAt);
  }

  async markDelivered(
    namespace: string,
    marks: readonly DeliveryMark[],
    _now: number,
  ): Promise<void> {
    this.#link.check(WHAT);
    await this.#reports.mark(namespace, marks);
  }

  async loadReport(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    this.#link.check(WHAT);
    return this.#reports.load(namespace, multicastId, now);
  }

  async close(): Promise<void> {
    if (!this.#link.closed) {
      this.#stopReconnect();
      for (const shared of this.#listening.values()) {
        for (const listener of shared.listeners) listener.active = false;
        if (!this.#link.connection.isClosed()) shared.subscription.unsubscribe();
      }
      this.#listening.clear();
      this.#owners.clear();
      this.#requests.close();
    }
    await this.#link.close();
  }

  /** The namespace's stream, created (or brought to this slot's retention) once per slot. */
  #stream(namespace: string): Promise<string> {
    let pending = this.#streams.get(namespace);
    if (pending === undefined) {
      pending = this.#ensureStream(namespace);
      this.#streams.set(namespace, pending);
      pending.catch(() => this.#streams.delete(namespace));
    }
    return pending;
  }

  /**
   * The namespace's stream when it exists, else null (nothing to read, ack or trim). Known
   * streams cost nothing; an unknown one costs one info request (a direct get on a stream that
   * does not exist is not answered at all: it would only time out).
   */
  async #existing(namespace: string): Promise<string | null> {
    const ensured = this.#streams.get(namespace);
    if (ensured !== undefined) return ensured.catch(() => this.#lookUp(namespace));
    return this.#lookUp(namespace);
  }

  async #lookUp(namespace: string): Promise<string | null> {
    const stream = streamName(this.#prefix, namespace);
    if (this.#seen.has(stream)) return stream;
    if (await this.#streamMissing(stream)) return null;
    this.#seen.add(stream);
    return stream;
  }

  async #ensureStream(namespace: string): Promise<string> {
    const config = streamConfig({
      name: streamName(this.#prefix, namespace),
      subjects: [`${queueSubjectBase(this.#prefix, namespace)}>`],
      retention: this.#retention,
      storage: this.#storage,
      replicas: this.#replicas,
    });
    const streams = this.#manager.streams;
    try {
      await streams.add(config);
    } catch (error) {
      // The stream exists with other limits: this slot's retention policy applies from now on.
      try {
        await streams.update(config.name, config);
      } catch (updateError) {
        throw unavailable(`${WHAT}: cannot create stream ${config.name}`, updateError ?? error);
      }
    }
    return config.name;
  }

  /** A direct get on a stream that exists; null when there is no such message. */
  async #get(
    stream: string,
    query:
      | { readonly seq: number }
      | { readonly seq: number; readonly next_by_subj: string }
      | { readonly last_by_subj: string },
  ): Promise<StoredMessage | null> {
    // last_by_subj goes in the subject (as nats.js does it), the other queries in the body.
    const subject =
      'last_by_subj' in query
        ? `${API}.DIRECT.GET.${stream}.${query.last_by_subj}`
        : `${API}.DIRECT.GET.${stream}`;
    const body = 'last_by_subj' in query ? Empty : ENCODER.encode(JSON.stringify(query));
    try {
      return await this.#limiter.run(async () =>
        directGetReply(await this.#requests.request(subject, body), WHAT),
      );
    } catch (error) {
      throw unavailable(`${WHAT}: JetStream did not answer`, error);
    }
  }

  async #streamMissing(stream: string): Promise<boolean> {
    try {
      await this.#manager.streams.info(stream);
      return false;
    } catch (error) {
      if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return true;
      throw unavailable(`${WHAT}: JetStream did not answer`, error);
    }
  }

  async #delete(stream: string, sequence: number): Promise<void> {
    try {
      const body = ENCODER.encode(`{"seq":${sequence},"no_erase":true}`);
      await this.#limiter.run(async () =>
        apiReply(await this.#requests.request(`${API}.STREAM.MSG.DELETE.${stream}`, body), WHAT),
      );
    } catch (error) {
      // Already gone (acked twice, purged, dropped by a limit): acking it again is no error.
      if (
        isApiError(error, JetStreamApiCodes.NoMessageFound) ||
        isApiError(error, MESSAGE_DELETE_FAILED) ||
        isApiError(error, JetStreamApiCodes.StreamNotFound)
      )
        return;
      throw unavailable(`${WHAT}: delete failed`, error);
    }
  }

  /** One tiny message per identity, after the batch is stored (readers then find it). */
  #notify(namespace: string, envelopes: readonly Envelope[]): void {
    const base = notifySubjectBase(this.#prefix, namespace);
    const seen = new Set<string>();
    const nc = this.#link.connection;
    for (const envelope of envelopes) {
      if (seen.has(envelope.identity)) continue;
      seen.add(envelope.identity);
      try {
        nc.publish(base + encodeIdentityToken(envelope.identity), Empty);
      } catch {
        // Stored is stored; readers also poll on reconnect and on their next notification.
      }
    }
  }

  #remember(stream: string, sequence: number, subject: string): void {
    if (this.#ownerCount >= OWNERS_LIMIT) {
      this.#owners.clear();
      this.#ownerCount = 0;
    }
    let owners = this.#owners.get(stream);
    if (owners === undefined) {
      owners = new Map();
      this.#owners.set(stream, owners);
    }
    if (!owners.has(sequence)) this.#ownerCount++;
    owners.set(sequence, subject);
  }

  #minCreatedAt(now: number): number {
    const maxAgeMs = this.#retention.maxAgeMs;
    return maxAgeMs === undefined ? Number.NEGATIVE_INFINITY : now - maxAgeMs;
  }
}

function notifyAll(listeners: readonly Listener[]): void {
  for (const listener of listeners) {
    if (!listener.active) continue;
    try {
      listener.notify();
    } catch {
      // A listener's failure is its own.
    }
  }
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

function unavailable(message: string, cause: unknown): MusterError {
  if (cause instanceof MusterError) return cause;
  return new MusterError('UNAVAILABLE', message, { cause });
}

function checkRetention(retention: RetentionPolicy): RetentionPolicy {
  const { maxAgeMs, maxLength } = retention;
  if (maxAgeMs !== undefined && !(maxAgeMs >= 0))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxAgeMs must be a non-negative number, not ${maxAgeMs}`,
      { details: { field: 'retention.maxAgeMs' } },
    );
  // JetStream reads 0 as "no limit": a queue that keeps nothing is not expressible.
  if (maxLength !== undefined && !(Number.isSafeInteger(maxLength) && maxLength >= 1))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxLength must be a positive integer on JetStream, not ${maxLength}`,
      { details: { field: 'retention.maxLength' } },
    );
  return retention;
}
