import { MusterError } from '../../errors/muster-error.js';
import { SentMessage } from '../../messaging-support/sent-message.js';
import type { Envelope } from '../../slots/envelope.js';
import type {
  InboundMessage,
  MessagingSlot,
  MessagingSupports,
  PublishOptions,
  PublishResult,
} from '../../slots/messaging-slot.js';
import type { Unsubscribe } from '../../slots/registry-slot.js';
import { AckedBatch } from './acked-batch.js';
import type { SubscriptionEntry } from './subscription-entry.js';

export const MEMORY_MESSAGING_SUPPORTS: MessagingSupports = Object.freeze({
  atMostOnce: true,
  acked: true,
  presence: true,
  distributed: false,
});

/** Subscriptions per identity, per namespace. Lists are copied on write so publish can iterate. */
type Table = Map<string, Map<string, readonly SubscriptionEntry[]>>;

const CANCELLED = Object.freeze({ code: 'CANCELLED', message: 'the publish was cancelled' });
const CLOSED = Object.freeze({ code: 'UNAVAILABLE', message: 'the messaging slot was closed' });

/**
 * The in-memory messaging slot: process-local, shared by any number of coordinators. Messages go
 * to every current handler synchronously inside `publish`, so per-identity order is publish
 * order. A throwing handler never affects the others; in acked mode its delivery counts as
 * failed (FAILED when every handler of the message threw and none acked). At-most-once stays
 * SENT even then: that transport reports nothing back, in memory as on a network.
 */
export function createMemoryMessaging(): MessagingSlot {
  return new MemoryMessaging();
}

class MemoryMessaging implements MessagingSlot {
  readonly supports = MEMORY_MESSAGING_SUPPORTS;
  #table: Table = new Map();
  #waiting = new Set<AckedBatch>();
  #closed = false;

  async publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    if (this.#closed) throw closedError();
    const count = envelopes.length;
    const identities = this.#table.get(namespace);
    if (options.signal?.aborted) return envelopes.map((e) => failed(e, CANCELLED));
    if (options.mode !== 'acked') {
      const results: PublishResult[] = [];
      for (let i = 0; i < count; i++) {
        const envelope = envelopes[i]!;
        const entries = identities?.get(envelope.identity);
        if (entries === undefined) {
          results.push(outcome(envelope, 'NO_SUBSCRIBER'));
          continue;
        }
        const delivered = deliver(entries, new SentMessage(envelope));
        results.push(outcome(envelope, delivered === false ? 'NO_SUBSCRIBER' : 'SENT'));
      }
      return results;
    }
    const batch = new AckedBatch(envelopes);
    for (let i = 0; i < count; i++) {
      const entries = identities?.get(envelopes[i]!.identity);
      if (entries === undefined) {
        batch.settle(i, 'NO_SUBSCRIBER');
        continue;
      }
      const delivered = deliver(entries, batch.expect(i));
      if (delivered === false) batch.settle(i, 'NO_SUBSCRIBER');
      else if (delivered !== true) batch.settle(i, 'FAILED', delivered);
    }
    if (batch.done) return batch.results as PublishResult[];
    this.#waiting.add(batch);
    return batch.wait(options.timeoutMs, options.signal, (done) => this.#waiting.delete(done));
  }

  async subscribe(
    namespace: string,
    identity: string,
    onMessage: (message: InboundMessage) => void,
  ): Promise<Unsubscribe> {
    if (this.#closed) throw closedError();
    let identities = this.#table.get(namespace);
    if (identities === undefined) {
      identities = new Map();
      this.#table.set(namespace, identities);
    }
    const entry: SubscriptionEntry = { onMessage, active: true };
    const current = identities.get(identity);
    identities.set(identity, current === undefined ? [entry] : [...current, entry]);
    return async () => this.#unsubscribe(namespace, identity, entry);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const identities of this.#table.values()) {
      for (const entries of identities.values()) for (const entry of entries) entry.active = false;
    }
    this.#table.clear();
    for (const batch of [...this.#waiting]) batch.settleRemaining('FAILED', CLOSED);
  }

  #unsubscribe(namespace: string, identity: string, entry: SubscriptionEntry): void {
    if (!entry.active) return;
    entry.active = false;
    const identities = this.#table.get(namespace);
    const current = identities?.get(identity);
    if (identities === undefined || current === undefined) return;
    const rest = current.filter((e) => e !== entry);
    if (rest.length > 0) identities.set(identity, rest);
    else {
      identities.delete(identity);
      if (identities.size === 0) this.#table.delete(namespace);
    }
  }
}

/**
 * Hands a message to every active handler: true when at least one took it, false when none was
 * active (unsubscribed during this publish), the error when every handler threw.
 */
function deliver(
  entries: readonly SubscriptionEntry[],
  message: InboundMessage,
): boolean | { code: string; message: string } {
  let taken = false;
  let threw = false;
  let failure: unknown;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!entry.active) continue;
    try {
      entry.onMessage(message);
      taken = true;
    } catch (error) {
      threw = true;
      failure = error;
    }
  }
  if (taken || !threw) return taken;
  return {
    code: 'INTERNAL',
    message: `the subscriber failed: ${failure instanceof Error ? failure.message : String(failure)}`,
  };
}

function outcome(envelope: Envelope, status: 'SENT' | 'NO_SUBSCRIBER'): PublishResult {
  return { identity: envelope.identity, messageId: envelope.messageId, status };
}

function failed(envelope: Envelope, error: { code: string; message: string }): PublishResult {
  return { identity: envelope.identity, messageId: envelope.messageId, status: 'FAILED', error };
}

function closedError(): MusterError {
  return new MusterError('UNAVAILABLE', 'the messaging slot is closed');
}
