import { type DeliveryMark, type MulticastReport, MusterError } from '@muster/core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Empty, headers, type Msg } from '@nats-io/transport-node';
import type { InboxRequests } from './inbox-requests.js';
import { directGetReply, pubAckSequence } from './jetstream-replies.js';
import { decodeReport, encodeReport } from './report-codec.js';
import { type ReportSubjects, reportSubjects } from './report-subjects.js';
import type { RequestLimiter } from './request-limiter.js';
import { type StreamStorage, streamConfig } from './stream-config.js';

/** Header of every part: the save it belongs to, so a load never mixes two saves' parts. */
const SAVE_HEADER = 'Muster-Report-Save';
/** Header of part 0: how many parts the report has. */
const PARTS_HEADER = 'Muster-Report-Parts';
/** Room left in each part for the headers. */
const HEADER_ROOM = 4_096;
/** A load that meets parts of two saves (a save raced it) starts again, this many times. */
const LOAD_ATTEMPTS = 3;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

export interface ReportStoreSettings {
  readonly prefix: string;
  /** The stream's `max_age`: the backend's own expiry, a margin after the longest report life. */
  readonly maxAgeMs: number;
  readonly storage: StreamStorage;
  readonly replicas: number;
  /** The connection's max_payload: larger reports are split into parts. */
  readonly maxPayload: number;
}

/**
 * Multicast reports in two JetStream streams per subject prefix:
 * - `<prefix token>_R`, one message per subject (`max_msgs_per_subject` 1, so a subject works
 *   as a key): the report as JSON in columns on `<prefix>.r.<ns>.<id>.0` (split over `.1`,
 *   `.2`, … when larger than a message may be), one pipelined publish per part;
 * - `<prefix token>_M`: one message per mark on `<prefix>.m.<ns>.<id>`, its body the acked
 *   identity, so a mark is one write with no read and no conflict, whether or not the report
 *   is there yet (duplicates are dropped on load).
 * A load is a direct get of part 0 and, at the same time, of the report's last mark; the other
 * parts, if any, in parallel; and, only when there are marks, all of them through a short-lived
 * consumer filtered on the report's marks subject (the server finds them by subject, whatever
 * else the stream holds; nats-server 2.9 has no batch direct get).
 */
export class JetStreamReportStore {
  readonly #requests: InboxRequests;
  readonly #limiter: RequestLimiter;
  readonly #manager: JetStreamManager;
  readonly #client: JetStreamClient;
  readonly #timeoutMs: number;
  readonly #settings: ReportStoreSettings;
  readonly #subjects: ReportSubjects;
  readonly #what: string;
  #streams: Promise<void> | undefined;
  readonly #saveBase = Math.random().toString(36).slice(2);
  #saves = 0;

  constructor(
    requests: InboxRequests,
    limiter: RequestLimiter,
    manager: JetStreamManager,
    client: JetStreamClient,
    timeoutMs: number,
    settings: ReportStoreSettings,
    what: string,
  ) {
    this.#requests = requests;
    this.#limiter = limiter;
    this.#manager = manager;
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#settings = settings;
    this.#subjects = reportSubjects(settings.prefix);
    this.#what = what;
  }

  async save(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    const bytes = encodeReport(report, expiresAt);
    await this.#ensureStreams();
    const size = Math.max(1, this.#settings.maxPayload - HEADER_ROOM);
    const count = Math.max(1, Math.ceil(bytes.length / size));
    const save = `${this.#saveBase}.${this.#saves++}`;
    const acks = await Promise.allSettled(
      Array.from({ length: count }, (_, part) => {
        const h = headers();
        h.set(SAVE_HEADER, save);
        if (part === 0) h.set(PARTS_HEADER, String(count));
        const subject = this.#subjects.part(namespace, report.multicastId, part);
        return this.#requests.request(subject, bytes.subarray(part * size, (part + 1) * size), h);
      }),
    );
    for (const ack of acks) {
      try {
        if (ack.status === 'rejected') throw ack.reason;
        pubAckSequence(ack.value, this.#what);
      } catch (error) {
        this.#streams = undefined;
        throw unavailable(`${this.#what}: JetStream did not store the report`, error);
      }
    }
  }

  async mark(namespace: string, marks: readonly DeliveryMark[]): Promise<void> {
    if (marks.length === 0) return;
    await this.#ensureStreams();
    const distinct = new Map<string, DeliveryMark>();
    for (const mark of marks) distinct.set(`${mark.multicastId}\n${mark.identity}`, mark);
    const acks = await Promise.allSettled(
      [...distinct.values()].map((mark) =>
        this.#requests.request(
          this.#subjects.marks(namespace, mark.multicastId),
          ENCODER.encode(mark.identity),
        ),
      ),
    );
    for (const ack of acks) {
      try {
        if (ack.status === 'rejected') throw ack.reason;
        pubAckSequence(ack.value, this.#what);
      } catch (error) {
        this.#streams = undefined;
        throw unavailable(`${this.#what}: JetStream did not store the marks`, error);
      }
    }
  }

  async load(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    await this.#ensureStreams();
    const { reportStream: stream, marksStream } = this.#subjects;
    const marksSubject = this.#subjects.marks(namespace, multicastId);
    for (let attempt = 1; ; attempt++) {
      const [first, lastMark] = await Promise.all([
        this.#get(stream, this.#subjects.part(namespace, multicastId, 0)),
        this.#get(marksStream, marksSubject),
      ]);
      if (first === null) return undefined;
      const save = first.headers?.get(SAVE_HEADER) ?? '';
      const count = Math.max(1, Math.trunc(Number(first.headers?.get(PARTS_HEADER))) || 1);
      const rest = await Promise.all(
        Array.from({ length: count - 1 }, (_, i) =>
          this.#get(stream, this.#subjects.part(namespace, multicastId, i + 1)),
        ),
      );
      if (rest.every((part) => part !== null && part.headers?.get(SAVE_HEADER) === save)) {
        const marked =
          lastMark === null ? new Set<string>() : await this.#marked(marksStream, marksSubject);
        return decodeReport(concat([first, ...(rest as Msg[])]), marked, now);
      }
      if (attempt >= LOAD_ATTEMPTS)
        throw new MusterError(
          'UNAVAILABLE',
          `${this.#what}: report ${multicastId} kept changing while it was read`,
        );
    }
  }

  /** Both streams, created (or brought to this slot's settings) once per slot. */
  #ensureStreams(): Promise<void> {
    if (this.#streams === undefined) {
      const { reportStream, reportFilter, marksStream, marksFilter } = this.#subjects;
      const pending = Promise.all([
        // One message per subject: a subject is a key, its newest value replaces the older.
        this.#createStream(reportStream, reportFilter, 1),
        this.#createStream(marksStream, marksFilter, undefined),
      ]).then(() => undefined);
      this.#streams = pending;
      pending.catch(() => {
        if (this.#streams === pending) this.#streams = undefined;
      });
    }
    return this.#streams;
  }

  async #createStream(name: string, filter: string, maxLength: number | undefined): Promise<void> {
    const { maxAgeMs, storage, replicas } = this.#settings;
    const config = streamConfig({
      name,
      subjects: [filter],
      retention: maxLength === undefined ? { maxAgeMs } : { maxAgeMs, maxLength },
      storage,
      replicas,
    });
    const streams = this.#manager.streams;
    try {
      await streams.add(config);
    } catch (error) {
      try {
        await streams.update(config.name, config);
      } catch (updateError) {
        throw unavailable(
          `${this.#what}: cannot create stream ${config.name}`,
          updateError ?? error,
        );
      }
    }
  }

  /** The message stored on `subject` (with its headers), or null. */
  async #get(stream: string, subject: string): Promise<Msg | null> {
    try {
      return await this.#limiter.run(async () => {
        const msg = await this.#requests.request(`$JS.API.DIRECT.GET.${stream}.${subject}`, Empty);
        return directGetReply(msg, this.#what) === null ? null : msg;
      });
    } catch (error) {
      throw unavailable(`${this.#what}: JetStream did not answer`, error);
    }
  }

  /** Every identity marked for a report, read through an ephemeral consumer on its subject. */
  async #marked(stream: string, subject: string): Promise<Set<string>> {
    const marked = new Set<string>();
    try {
      const consumer = await this.#client.consumers.get(stream, { filter_subjects: subject });
      try {
        const expected = (await consumer.info(true)).num_pending;
        if (expected === 0) return marked;
        const messages = await consumer.fetch({
          max_messages: expected,
          expires: this.#timeoutMs,
        });
        let complete = false;
        for await (const msg of messages) {
          marked.add(DECODER.decode(msg.data));
          if (msg.info.pending === 0) {
            complete = true;
            break;
          }
        }
        if (!complete)
          throw new MusterError(
            'UNAVAILABLE',
            `${this.#what}: the marks of a report were cut short`,
          );
      } finally {
        // Not awaited: the consumer also goes away on its own once inactive.
        consumer.delete().catch(() => {});
      }
    } catch (error) {
      throw unavailable(`${this.#what}: JetStream did not answer`, error);
    }
    return marked;
  }
}

function concat(parts: readonly Msg[]): Uint8Array {
  if (parts.length === 1) return parts[0]!.data;
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.data.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part.data, at);
    at += part.data.length;
  }
  return bytes;
}

function unavailable(message: string, cause: unknown): MusterError {
  if (cause instanceof MusterError) return cause;
  return new MusterError('UNAVAILABLE', message, { cause });
}
