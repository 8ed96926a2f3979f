import type { MessagingSlot, MessagingSupports } from '@muster/core';
import type { SuiteTest } from '../support/suite-test.js';
import { useSlot } from '../support/use-slot.js';

export type MessagingFactory = () => MessagingSlot | Promise<MessagingSlot>;

/** What every messaging suite receives. */
export interface MessagingSuiteContext {
  readonly test: SuiteTest;
  /** A fresh slot per call; tests use unique namespaces, so a shared server is fine. */
  readonly factory: MessagingFactory;
  readonly supports: MessagingSupports;
  /** Extra cleanup after each test, after the slot is closed. */
  readonly teardown?: (slot: MessagingSlot) => void | Promise<void>;
  /**
   * Cuts the slot's connection to its backend (stop or pause the server, drop the socket).
   * With `restore`, enables the disconnect suite; required for a distributed adapter.
   */
  readonly disrupt?: (slot: MessagingSlot) => Promise<void>;
  /** Brings the backend back after `disrupt`. */
  readonly restore?: (slot: MessagingSlot) => Promise<void>;
  /** The adapter's name, for log lines. */
  readonly name?: string;
}

export function withMessaging(
  context: MessagingSuiteContext,
  body: (slot: MessagingSlot) => Promise<void>,
): Promise<void> {
  return useSlot(context.factory, context.teardown, body);
}

/** A mode the slot supports, preferring at-most-once (for suites about plain delivery). */
export function plainMode(supports: MessagingSupports): 'at-most-once' | 'acked' {
  return supports.atMostOnce ? 'at-most-once' : 'acked';
}
