import type { DurabilitySlot, DurabilitySupports, RetentionPolicy } from '@muster/core';
import type { SuiteTest } from '../support/suite-test.js';
import { useSlot } from '../support/use-slot.js';

/** Options the kit passes to the factory: the retention suite asks for a policy. */
export interface DurabilityFactoryOptions {
  /** When given, the slot must apply this policy (to every namespace). */
  readonly retention?: RetentionPolicy;
}

export type DurabilityFactory = (
  options: DurabilityFactoryOptions,
) => DurabilitySlot | Promise<DurabilitySlot>;

/** What every durability suite receives. */
export interface DurabilitySuiteContext {
  readonly test: SuiteTest;
  /** A fresh slot per call, with the given retention (or the adapter's default). */
  readonly factory: DurabilityFactory;
  readonly supports: DurabilitySupports;
  /** Extra cleanup after each test, after the slot is closed. */
  readonly teardown?: (slot: DurabilitySlot) => void | Promise<void>;
}

export function withDurability(
  context: DurabilitySuiteContext,
  body: (slot: DurabilitySlot) => Promise<void>,
  options: DurabilityFactoryOptions = {},
): Promise<void> {
  return useSlot(() => context.factory(options), context.teardown, body);
}
