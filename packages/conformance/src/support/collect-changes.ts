import type { RegistryChange, RegistrySlot, Unsubscribe } from '@muster/core';
import { waitForCount } from './wait-for.js';

export interface ChangeLog {
  readonly events: RegistryChange[];
  /** Waits until `count` events have arrived. */
  until(count: number, what: string): Promise<void>;
  stop: Unsubscribe;
}

/** Watches a namespace of a registry that supports watch and records every change. */
export async function collectChanges(slot: RegistrySlot, namespace: string): Promise<ChangeLog> {
  const events: RegistryChange[] = [];
  const stop = await slot.watch!(namespace, (change) => {
    events.push(change);
  });
  return {
    events,
    until: (count, what) => waitForCount(() => events.length, count, `change events (${what})`),
    stop,
  };
}
