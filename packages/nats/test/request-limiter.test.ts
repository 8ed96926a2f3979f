import { expect, it } from 'vitest';
import { RequestLimiter } from '../src/request-limiter.js';

it('runs at most `limit` requests at once, all of them, in order', async () => {
  const limiter = new RequestLimiter(3);
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      limiter
        .run(async () => {
          started.push(i);
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
          active--;
          if (i === 7) throw new Error('one request fails');
          return i;
        })
        .catch(() => -1),
    ),
  );
  expect(peak).toBe(3);
  expect(started).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(results.filter((r) => r === -1)).toHaveLength(1);
  expect(await limiter.run(async () => 'after')).toBe('after');
});
