/** How often deadlines are checked: timeouts fire up to this much late. */
export const TICK_MS = 5;

/** Something with a deadline (a multicast's fan-out). */
export interface Expiring {
  /** Called on each tick with performance.now(); stops itself when its deadline has passed. */
  check(now: number): void;
}

/** A watched deadline: where it sits in the active list (-1 once unwatched). */
export interface DeadlineWatch {
  index: number;
  readonly expiring: Expiring;
}

// An array with swap-removal rather than a Set: adding and deleting one fresh object per
// multicast made V8 rehash the Set each time (about 0.8 µs a pair, measured).
const active: DeadlineWatch[] = [];
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * One interval for every multicast deadline in the process instead of a timer per multicast
 * (arming and clearing a timer costs more than a small fan-out). It runs only while deadlines
 * are pending (it stops on the first idle tick), and keeps the process alive meanwhile, as a
 * timer per call would.
 */
export function watchDeadline(expiring: Expiring): DeadlineWatch {
  const watch: DeadlineWatch = { index: active.length, expiring };
  active.push(watch);
  timer ??= setInterval(tick, TICK_MS);
  return watch;
}

/** Stops checking a deadline; a second call is a no-op. */
export function unwatchDeadline(watch: DeadlineWatch): void {
  const index = watch.index;
  if (index < 0) return;
  watch.index = -1;
  const last = active.pop()!;
  if (last === watch) return;
  active[index] = last;
  last.index = index;
}

function tick(): void {
  if (active.length === 0) {
    clearInterval(timer);
    timer = undefined;
    return;
  }
  const now = performance.now();
  // From the end: a removal moves the last deadline into the freed slot, and the last one has
  // been checked already (or was watched during this tick), so none still watched is missed.
  // One may be checked twice, or a new one early: checks are idempotent.
  for (let i = active.length - 1; i >= 0; i--) active[i]?.expiring.check(now);
}
