import type { SlotFactory, SlotFactoryContext } from './slot-factories.js';

/**
 * A slot factory in two steps: `read` turns the configured settings into the adapter's options
 * (throwing INVALID_ARGUMENT on a wrong setting), `create` imports the adapter and makes the
 * slot. `read` alone is the factory's `check`, so a config is checked without connecting.
 */
export function checkedFactory<Options, Slot>(
  read: (context: SlotFactoryContext) => Options,
  create: (options: Options) => Promise<Slot>,
): SlotFactory<Slot> {
  return Object.assign(async (context: SlotFactoryContext) => create(read(context)), {
    check: (context: SlotFactoryContext) => void read(context),
  });
}
