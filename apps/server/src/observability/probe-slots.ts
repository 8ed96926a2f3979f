import type { SlotSet } from '../slots/slot-set.js';

export type BackendState = 'up' | 'down' | 'unchecked';

export interface NamespaceReadiness {
  readonly namespace: string;
  readonly registry: BackendState;
  readonly messaging: BackendState;
  readonly durability: BackendState | 'none';
  readonly errors?: Readonly<Record<string, string>>;
}

/** An identity no one registers: reading it costs one round trip and finds nothing. */
const PROBE_IDENTITY = 'muster.readyz';

/**
 * Each backend's state, by a cheap read: the registry's `get` and the durability slot's `read`
 * of an unused identity; the messaging slot by its `ping()` when the adapter has one (the slot
 * contract has no read to try), else `unchecked`. Each probe gives up after `timeoutMs`.
 */
export async function probeSlots(
  namespace: string,
  slots: SlotSet,
  timeoutMs: number,
): Promise<NamespaceReadiness> {
  const errors: Record<string, string> = {};
  const check = async (name: string, probe: () => Promise<unknown>): Promise<BackendState> => {
    try {
      await withTimeout(probe(), timeoutMs);
      return 'up';
    } catch (error) {
      errors[name] = (error as Error).message;
      return 'down';
    }
  };
  const now = Date.now();
  const ping = (slots.messaging as { ping?: () => Promise<unknown> }).ping;
  const [registry, messaging, durability] = await Promise.all([
    check('registry', () => slots.registry.get(namespace, PROBE_IDENTITY, now)),
    typeof ping === 'function'
      ? check('messaging', () => ping.call(slots.messaging))
      : ('unchecked' as const),
    slots.durability === null
      ? ('none' as const)
      : check('durability', () =>
          slots.durability!.read(namespace, PROBE_IDENTITY, { limit: 1 }, now),
        ),
  ]);
  return {
    namespace,
    registry,
    messaging,
    durability,
    ...(Object.keys(errors).length === 0 ? {} : { errors }),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
