import type { Closable } from './suite-test.js';

/**
 * Instantiates one slot to read its manifest (a deep copy, so a slot that mutates its manifest
 * later is caught by the manifest suites), then closes it.
 */
export async function readSupports<S extends Closable & { readonly supports: object }>(
  factory: () => S | Promise<S>,
  teardown: ((slot: S) => void | Promise<void>) | undefined,
): Promise<S['supports']> {
  const slot = await factory();
  try {
    if (typeof slot.supports !== 'object' || slot.supports === null)
      throw new TypeError('the slot has no `supports` manifest');
    return structuredClone(slot.supports) as S['supports'];
  } finally {
    await slot.close();
    await teardown?.(slot);
  }
}

/** Throws a TypeError naming an option the runner needs but did not get. */
export function requireOption(value: unknown, name: string, runner: string): void {
  if (typeof value !== 'function')
    throw new TypeError(`${runner}: the \`${name}\` option must be a function`);
}
