/** Milliseconds since the Unix epoch. Injected so tests (and the conformance kit) control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that moves only when told to: for TTL tests without waiting. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(milliseconds: number): void {
    this.#now += milliseconds;
  }

  set(epochMilliseconds: number): void {
    this.#now = epochMilliseconds;
  }
}
