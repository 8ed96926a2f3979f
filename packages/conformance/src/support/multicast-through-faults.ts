import type { MulticastReport, Muster, MusterOptions, Subscription } from '@muster/core';
import { expect } from 'vitest';
import { sleep } from './wait-for.js';

/** The namespace of the stream (configured by `faultStreamMusterOptions`). */
const NAMESPACE = 'fault';

/**
 * What both coordinators of a fault stream are created with (spread into `createMuster`): room
 * for the coordinator's own retries (same message ids) to span a restart; no background sweeps.
 */
export const faultStreamMusterOptions = {
  namespaces: { [NAMESPACE]: { multicastTimeoutMs: 60_000, multicastRetries: 40 } },
  sweepIntervalMs: 0,
} satisfies MusterOptions;

/** One message as an identity's subscription received it. */
export interface Receipt {
  readonly messageId: string;
  readonly text: string;
}

/** What a fault can do to the stream's subscribers. */
export interface FaultStreamControl {
  /** Closes the first `count` identities' subscriptions and subscribes them again. */
  resubscribe(count: number): Promise<string>;
}

export interface MulticastThroughFaultsOptions {
  /** Sends the multicasts; every identity is registered on it first. */
  readonly publisher: Muster;
  /** Holds one subscription per identity, reading and acking everything. */
  readonly subscriberSide: Muster;
  /** How many identities: `device-0`, `device-1`... */
  readonly identities: number;
  /** How many multicasts: the k-th carries the text `${k}`. */
  readonly multicasts: number;
  /** Injects the fault due before multicast k, if any, and says what it did (`at k` is added). */
  beforeMulticast(k: number, control: FaultStreamControl): Promise<string | undefined>;
  /** Wraps each subscribe of an identity (e.g. to try again while reconnecting). */
  subscribe?(subscribe: () => Promise<Subscription>): Promise<Subscription>;
  /** Wraps each at-least-once multicast (e.g. to ask again, or to time it). */
  multicast?(send: () => Promise<MulticastReport>): Promise<MulticastReport>;
}

/**
 * The fault tests' stream: subscribes every identity, sends `multicasts` at-least-once multicasts
 * one after another (each must be QUEUED for every identity) while `beforeMulticast` injects
 * faults, waits up to 60 s for every identity to have every text, closes the subscriptions and
 * returns each identity's receipts and the texts sent (for `expectAtLeastOnceInOrder`), and the
 * faults injected.
 */
export async function multicastThroughFaults(options: MulticastThroughFaultsOptions): Promise<{
  readonly receipts: ReadonlyMap<string, readonly Receipt[]>;
  readonly texts: readonly string[];
  readonly faults: readonly string[];
}> {
  const { publisher, subscriberSide, multicasts } = options;
  const wrapSubscribe = options.subscribe ?? ((subscribe) => subscribe());
  const wrapMulticast = options.multicast ?? ((send) => send());
  const identities = Array.from({ length: options.identities }, (_, i) => `device-${i}`);
  const texts = Array.from({ length: multicasts }, (_, k) => `${k}`);
  for (const identity of identities) await publisher.register(NAMESPACE, { identity });
  const receipts = new Map(identities.map((id) => [id, [] as Receipt[]]));
  const subscriptions = new Map<string, Subscription>();
  const readers: Promise<void>[] = [];
  const open = async (identity: string): Promise<void> => {
    const subscription = await wrapSubscribe(() => subscriberSide.subscribe(NAMESPACE, identity));
    subscriptions.set(identity, subscription);
    readers.push(consume(subscription, receipts.get(identity)!));
  };
  for (const identity of identities) await open(identity);
  const control: FaultStreamControl = {
    async resubscribe(count) {
      const leaving = identities.slice(0, count);
      await Promise.all(leaving.map((id) => subscriptions.get(id)!.close()));
      for (const identity of leaving) await open(identity);
      return `re-subscribed ${leaving.length} identities`;
    },
  };

  const faults: string[] = [];
  for (let k = 0; k < multicasts; k++) {
    const fault = await options.beforeMulticast(k, control);
    if (fault !== undefined) faults.push(`${fault} at ${k}`);
    const report = await wrapMulticast(() =>
      publisher.multicast(NAMESPACE, { payload: texts[k]!, delivery: 'at-least-once' }),
    );
    const notQueued = report.deliveries.filter((d) => d.status !== 'QUEUED');
    expect(notQueued, `multicast ${k}`).toEqual([]);
    expect(report.targetCount).toBe(identities.length);
  }

  const complete = (): boolean =>
    identities.every((id) => new Set(receipts.get(id)!.map((r) => r.text)).size === multicasts);
  const deadline = Date.now() + 60_000;
  while (!complete() && Date.now() < deadline) await sleep(100);
  for (const subscription of subscriptions.values()) await subscription.close();
  await Promise.all(readers);
  return { receipts, texts, faults };
}

/**
 * Asserts at-least-once delivery of `texts` to every identity: none lost, each identity's first
 * receipts in the order sent, and a duplicate only ever repeating the message id of the first.
 * Returns a summary line: `N deliveries, M duplicates (same ids)`.
 */
export function expectAtLeastOnceInOrder(
  receipts: ReadonlyMap<string, readonly Receipt[]>,
  texts: readonly string[],
): string {
  let duplicates = 0;
  for (const [identity, list] of receipts) {
    const firstSeen: string[] = [];
    const idOf = new Map<string, string>();
    for (const { messageId, text } of list) {
      const known = idOf.get(text);
      if (known === undefined) {
        idOf.set(text, messageId);
        firstSeen.push(text);
      } else {
        duplicates++;
        expect(messageId, `a duplicate of ${text} for ${identity} repeats its id`).toBe(known);
      }
    }
    expect(firstSeen, `${identity}: every message, in order`).toEqual(texts);
  }
  return `${receipts.size * texts.length} deliveries, ${duplicates} duplicates (same ids)`;
}

/** Reads one identity's subscription until closed, acking everything (acks may fail meanwhile). */
async function consume(subscription: Subscription, into: Receipt[]): Promise<void> {
  for await (const message of subscription) {
    into.push({ messageId: message.messageId, text: new TextDecoder().decode(message.payload) });
    await message.ack().catch(() => undefined);
  }
}
