import { MusterError } from '@muster/core';
import type { NamespaceSettings } from '../config/config-schema.js';
import { SLOT_FACTORIES, type SlotFactory, type SlotFactoryTable } from './slot-factories.js';
import type { SlotSet } from './slot-set.js';

/**
 * A configured namespace's slots. Registry and messaging default to memory; durability is
 * absent (at-least-once UNSUPPORTED) unless configured, and `use_messaging: true` asks the
 * messaging backend's type for a durability slot with the messaging settings.
 * On failure, the slots already made are closed.
 */
export async function buildSlots(
  settings: NamespaceSettings,
  env: NodeJS.ProcessEnv,
  table: SlotFactoryTable = SLOT_FACTORIES,
): Promise<SlotSet> {
  const slots = settings.backend_slots ?? {};
  const made: { close(): Promise<void> }[] = [];
  const composition = settings.composition;
  const make = async <T extends { close(): Promise<void> }>(
    kind: keyof SlotFactoryTable,
    factories: Readonly<Record<string, SlotFactory<T>>>,
    slotSettings: Readonly<Record<string, unknown>> & { type: string },
  ): Promise<T> => {
    const factory = factories[slotSettings.type];
    if (factory === undefined)
      throw new MusterError(
        'UNSUPPORTED',
        `namespace "${settings.name}": no ${kind} backend of type "${slotSettings.type}" (available: ${Object.keys(factories).join(', ')})`,
        { details: { field: `backend_slots.${kind}.type` } },
      );
    const slot = await factory({
      namespace: settings.name,
      settings: slotSettings,
      env,
      ...(composition === undefined ? {} : { composition }),
    });
    made.push(slot);
    return slot;
  };
  try {
    const messagingSettings = slots.messaging ?? { type: 'memory' };
    const registry = await make('registry', table.registry, slots.registry ?? { type: 'memory' });
    const messaging = await make('messaging', table.messaging, messagingSettings);
    const durabilitySettings = slots.durability;
    const durability =
      durabilitySettings === undefined
        ? null
        : 'use_messaging' in durabilitySettings
          ? durabilitySettings.use_messaging
            ? await make('durability', table.durability, messagingSettings)
            : null
          : await make('durability', table.durability, durabilitySettings);
    return { registry, messaging, durability };
  } catch (error) {
    await Promise.allSettled(made.map((slot) => slot.close()));
    throw error;
  }
}
