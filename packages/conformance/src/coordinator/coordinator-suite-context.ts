import {
  createMuster,
  type DurabilitySlot,
  type DurabilitySupports,
  type MessagingSlot,
  type MessagingSupports,
  type Muster,
  type NamespaceConfig,
  type RegistrySlot,
  type RegistrySupports,
} from '@muster/core';
import type { SuiteTest } from '../support/suite-test.js';
import { type TimeControl, timeControlFor } from '../support/time-control.js';
import { uniqueNamespace } from '../support/unique-namespace.js';

/** The slots under test, fresh for each test; several coordinators may be put on them. */
export interface CoordinatorSlots {
  readonly registry: RegistrySlot;
  readonly messaging: MessagingSlot;
  /** null (or absent) for a deployment without durability: at-least-once is then UNSUPPORTED. */
  readonly durability?: DurabilitySlot | null;
}

export interface CoordinatorSupports {
  readonly registry: RegistrySupports;
  readonly messaging: MessagingSupports;
  readonly durability: DurabilitySupports | null;
}

/** What every coordinator suite receives. */
export interface CoordinatorSuiteContext {
  readonly test: SuiteTest;
  readonly slots: () => CoordinatorSlots | Promise<CoordinatorSlots>;
  readonly supports: CoordinatorSupports;
  /** Extra cleanup after each test, after the coordinators and slots are closed. */
  readonly teardown?: (slots: CoordinatorSlots) => void | Promise<void>;
}

export interface CoordinatorFixture {
  /** The first coordinator (as many as asked share the same slots). */
  readonly muster: Muster;
  readonly musters: readonly Muster[];
  readonly slots: CoordinatorSlots;
  /** A namespace of this test, configured with `config`. */
  readonly namespace: string;
  /** The coordinators' clock: manual when the registry takes the caller's clock. */
  readonly time: TimeControl;
}

/**
 * Runs `body` with `count` coordinators created by `createMuster` over one fresh set of slots,
 * sharing a clock, with the sweeper off (tests call `sweep()`); closes everything afterwards.
 */
export async function withCoordinators(
  context: CoordinatorSuiteContext,
  options: {
    readonly count?: number;
    readonly label: string;
    readonly config?: Partial<NamespaceConfig>;
  },
  body: (fixture: CoordinatorFixture) => Promise<void>,
): Promise<void> {
  const slots = await context.slots();
  const time = timeControlFor(slots.registry.supports.clock);
  const namespace = uniqueNamespace(options.label);
  const musters = Array.from({ length: options.count ?? 1 }, () =>
    createMuster({
      registry: slots.registry,
      messaging: slots.messaging,
      durability: slots.durability ?? null,
      clock: { now: () => time.now() },
      sweepIntervalMs: 0,
      namespaces: { [namespace]: options.config ?? {} },
    }),
  );
  try {
    await body({ muster: musters[0]!, musters, slots, namespace, time });
  } finally {
    try {
      await Promise.all(musters.map((muster) => muster.close()));
      await slots.registry.close();
      await slots.messaging.close();
      await slots.durability?.close();
    } finally {
      await context.teardown?.(slots);
    }
  }
}
