import { runPool } from '../../../tooling/bench/run-pool.mjs';

/**
 * Registers devices `from` to `to` (exclusive) of an `iotFleet` straight through the registry
 * slot, `concurrency` puts in flight: creates with an hour's TTL, all stamped `now`. The
 * benches' one registration loop (in one process, per writer process, and for the cost probe).
 */
export function registerFleet(registry, namespace, { ids, fleet }, { from = 0, to, concurrency }) {
  const now = Date.now();
  return runPool(to - from, concurrency, (k) =>
    registry.put(
      namespace,
      {
        identity: ids[from + k],
        metadata: fleet[from + k],
        registeredAt: now,
        updatedAt: now,
        expiresAt: now + 3_600_000,
      },
      { mode: 'create' },
      now,
    ),
  );
}
