/**
 * Polls `condition` until it holds; throws (naming `what`) after `timeoutMs`. Distributed
 * adapters deliver asynchronously, so the kit waits for outcomes instead of assuming them.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(Date.now() + 50 > deadline ? 1 : 5);
  }
}

/**
 * Waits until `count()` reaches `target`. Gives up after `timeoutMs`, or sooner when the count
 * has not moved for `quietMs` (a transport that has stopped delivering will not resume).
 */
export async function waitForCount(
  count: () => number,
  target: number,
  what: string,
  options: { readonly timeoutMs?: number; readonly quietMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 10_000, quietMs = 2_000 } = options;
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let lastChange = Date.now();
  while (last < target) {
    const now = Date.now();
    if (now >= deadline || now - lastChange >= quietMs)
      throw new Error(
        `waited ${now - (deadline - timeoutMs)} ms for ${what}: ${last} of ${target} arrived`,
      );
    await sleep(5);
    const current = count();
    if (current !== last) {
      last = current;
      lastChange = Date.now();
    }
  }
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
