import type { RegistrySlot, RegistrySupports } from '@muster/core';
import type { SuiteTest } from '../support/suite-test.js';
import { useSlot } from '../support/use-slot.js';

export type RegistryFactory = () => RegistrySlot | Promise<RegistrySlot>;

/** What every registry suite receives. */
export interface RegistrySuiteContext {
  /** vitest's `it`, or any function with its `(name, fn, timeout?)` shape. */
  readonly test: SuiteTest;
  /** A fresh slot per call. Tests also use unique namespaces, so a shared backend is fine. */
  readonly factory: RegistryFactory;
  /** The adapter's manifest (the runner reads it from one slot). */
  readonly supports: RegistrySupports;
  /** Extra cleanup after each test, after the slot is closed. */
  readonly teardown?: (slot: RegistrySlot) => void | Promise<void>;
  /** Random filters in the differential fuzz; at least (and by default) 2,000. */
  readonly fuzzRuns?: number;
}

/** Runs `body` with a fresh registry that is closed afterwards. */
export function withRegistry(
  context: RegistrySuiteContext,
  body: (slot: RegistrySlot) => Promise<void>,
): Promise<void> {
  return useSlot(context.factory, context.teardown, body);
}
