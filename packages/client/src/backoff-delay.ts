export interface BackoffOptions {
  /** First delay after a failure (ms). Default 100. */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts (ms). Default 5000. */
  readonly maxDelayMs?: number;
}

/**
 * The delay before reconnect attempt `attempt` (1, 2, 3...): exponential, capped, with "full
 * jitter" so many clients cut off by the same outage do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return initial / 2 + Math.random() * Math.max(0, ceiling - initial / 2);
}
