import { systemClock } from '../clock/clock.js';
import { createMemoryDurability } from '../memory/durability/create-memory-durability.js';
import { createMemoryMessaging } from '../memory/messaging/create-memory-messaging.js';
import { createMemoryRegistry } from '../memory/registry/create-memory-registry.js';
import { checkNamespaceName } from './check-namespace-name.js';
import { Coordinator } from './coordinator.js';
import { invalidArgument } from './invalid-argument.js';
import type { Muster, MusterOptions } from './muster-api.js';
import { resolveNamespaceConfig } from './resolve-namespace-config.js';

/** Longest interval setInterval accepts. */
const MAX_INTERVAL_MS = 2 ** 31 - 1;

/**
 * Creates a coordinator. Slots not given are created in memory (the embedded default) and
 * closed by `close()`; slots given are the caller's to close. `durability: null` runs without
 * one (at-least-once is then UNSUPPORTED). Configured namespaces are checked here, so a bad
 * setting throws INVALID_ARGUMENT at once.
 */
export function createMuster(options: MusterOptions = {}): Muster {
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('options', 'createMuster options are an object');
  const sweepIntervalMs = options.sweepIntervalMs ?? 1000;
  if (
    typeof sweepIntervalMs !== 'number' ||
    !(sweepIntervalMs >= 0) ||
    sweepIntervalMs > MAX_INTERVAL_MS
  )
    throw invalidArgument(
      'sweepIntervalMs',
      'sweepIntervalMs must be a number of milliseconds >= 0 (0 disables the sweeper)',
    );
  const namespaces = options.namespaces;
  if (namespaces !== undefined) {
    if (typeof namespaces !== 'object' || namespaces === null)
      throw invalidArgument('namespaces', 'namespaces must map namespace names to settings');
    for (const [name, overrides] of Object.entries(namespaces)) {
      checkNamespaceName(name);
      resolveNamespaceConfig(name, overrides);
    }
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function')
    throw invalidArgument('clock', 'clock must have a now() method');
  for (const slot of ['registry', 'messaging', 'durability'] as const) {
    const given = options[slot];
    if (given !== undefined && given !== null && typeof given.supports !== 'object')
      throw invalidArgument(slot, `the ${slot} slot must declare its capabilities in \`supports\``);
  }
  if (options.registry === null || options.messaging === null)
    throw invalidArgument('registry', 'the registry and messaging slots are required');

  const owned: { close(): Promise<void> }[] = [];
  const own = <T extends { close(): Promise<void> }>(slot: T): T => {
    owned.push(slot);
    return slot;
  };
  return new Coordinator({
    registry: options.registry ?? own(createMemoryRegistry()),
    messaging: options.messaging ?? own(createMemoryMessaging()),
    durability:
      options.durability === undefined ? own(createMemoryDurability()) : options.durability,
    owned,
    clock,
    namespaces,
    strictNamespaces: options.strictNamespaces === true,
    sweepIntervalMs,
  });
}
