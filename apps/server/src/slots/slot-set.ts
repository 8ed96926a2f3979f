import type { DurabilitySlot, MessagingSlot, RegistrySlot } from '@muster/core';

/** The three slots behind a namespace. `durability: null` runs without one. */
export interface SlotSet {
  readonly registry: RegistrySlot;
  readonly messaging: MessagingSlot;
  readonly durability: DurabilitySlot | null;
}
