import type { Closable } from './suite-test.js';

/**
 * Runs `body` with a fresh slot from `factory`, then closes it (close must be idempotent: a body
 * may close it first) and runs the adapter's `teardown`, whatever the body did.
 */
export async function useSlot<S extends Closable>(
  factory: () => S | Promise<S>,
  teardown: ((slot: S) => void | Promise<void>) | undefined,
  body: (slot: S) => Promise<void>,
): Promise<void> {
  const slot = await factory();
  try {
    await body(slot);
  } finally {
    try {
      await slot.close();
    } finally {
      await teardown?.(slot);
    }
  }
}
