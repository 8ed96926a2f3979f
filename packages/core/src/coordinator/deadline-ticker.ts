/** How often deadlines are checked: timeouts fire up to this much late. */
export const TICK_MS = 5;

/** Something with a deadline (a multicast's fan-out). */
export interface Expiring {
  /** Called on each tick with performance.now(); stops itself when its deadline has passed. */
  check(now: number): void;
}

const active = new Set<Expiring>();
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * One interval for every multicast deadline in the process instead of a timer per multicast
 * (arming and clearing a timer costs more than a small fan-out). It runs only while deadlines
 * are pending (it stops on the first idle tick), and keeps the process alive meanwhile, as a
 * timer per call would.
 */
export function watchDeadline(expiring: Expiring): void {
  active.add(expiring);
  timer ??= setInterval(tick, TICK_MS);
}

export function unwatchDeadline(expiring: Expiring): void {
  active.delete(expiring);
}

function tick(): void {
  if (active.size === 0) {
    clearInterval(timer);
    timer = undefined;
    return;
  }
  const now = performance.now();
  for (const expiring of active) expiring.check(now);
}
