/** Runs `task(0)` .. `task(count - 1)` with at most `concurrency` of them in flight. */
export async function runPool(count, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}
