import { MusterError } from '@muster/core';
import type { NamespaceSettings } from '../config/config-schema.js';
import { SLOT_FACTORIES, type SlotFactoryTable } from './slot-factories.js';

/** A wrong slot setting, at its path inside the namespace (e.g. `backend_slots.durability.retention`). */
export interface SlotSettingsProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/**
 * The wrong settings of a namespace's backend slots, found as its factories read them but
 * without importing an adapter or connecting, so a config loader can report each at its line.
 * A type the table does not know is left to buildSlots (a server may be given more factories).
 */
export function checkSlotSettings(
  settings: NamespaceSettings,
  env: NodeJS.ProcessEnv = process.env,
  table: SlotFactoryTable = SLOT_FACTORIES,
): SlotSettingsProblem[] {
  const problems: SlotSettingsProblem[] = [];
  const check = (
    kind: keyof SlotFactoryTable,
    slotSettings: Readonly<Record<string, unknown>> & { type: string },
    at: 'registry' | 'messaging' | 'durability',
  ): void => {
    try {
      table[kind][slotSettings.type]?.check?.({
        namespace: settings.name,
        settings: slotSettings,
        env,
      });
    } catch (error) {
      if (!MusterError.is(error, 'INVALID_ARGUMENT')) throw error;
      const { key, expected } = error.details;
      problems.push(
        typeof key === 'string' && typeof expected === 'string'
          ? {
              path: ['backend_slots', at, key],
              message: `must be ${expected}, not ${JSON.stringify(slotSettings[key])}`,
            }
          : { path: ['backend_slots', at], message: error.message },
      );
    }
  };
  const slots = settings.backend_slots ?? {};
  if (slots.registry !== undefined) check('registry', slots.registry, 'registry');
  if (slots.messaging !== undefined) check('messaging', slots.messaging, 'messaging');
  const durability = slots.durability;
  if (durability === undefined) return problems;
  if (!('use_messaging' in durability)) check('durability', durability, 'durability');
  // `use_messaging: true` reads the messaging settings as the durability slot's.
  else if (durability.use_messaging && slots.messaging !== undefined)
    check('durability', slots.messaging, 'messaging');
  return problems;
}
