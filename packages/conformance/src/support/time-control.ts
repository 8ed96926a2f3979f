import { ManualClock } from '@muster/core';
import { sleep } from './wait-for.js';

/**
 * Time as a TTL test sees it. With an adapter that takes the caller's `now`
 * (`supports.clock === 'caller'`) a ManualClock moves instantly; with a backend that keeps its
 * own clock (`'server'`) time really passes, so TTLs are short.
 */
export interface TimeControl {
  readonly kind: 'manual' | 'real';
  now(): number;
  /** Lets `milliseconds` pass. */
  advance(milliseconds: number): Promise<void>;
  /** A TTL that fits the test: a minute on a manual clock, a fraction of a second in real time. */
  readonly ttlMs: number;
  /** How far past an expiry to go before asserting it happened (a backend's clock may lag). */
  readonly marginMs: number;
}

export function manualTime(start: number = Date.now()): TimeControl {
  const clock = new ManualClock(start);
  return {
    kind: 'manual',
    now: () => clock.now(),
    advance: async (milliseconds) => clock.advance(milliseconds),
    ttlMs: 60_000,
    marginMs: 1,
  };
}

export function realTime(): TimeControl {
  return {
    kind: 'real',
    now: () => Date.now(),
    advance: (milliseconds) => sleep(milliseconds),
    ttlMs: 500,
    marginMs: 200,
  };
}

/** Manual time when the adapter honours the caller's clock, real time otherwise. */
export function timeControlFor(clock: 'caller' | 'server'): TimeControl {
  return clock === 'caller' ? manualTime() : realTime();
}
