import { nodes, parse } from '@muster/filter';
import { describe, expect, test, vi } from 'vitest';
import { AsyncQueue } from '../../src/coordinator/async-queue.js';
import { checkNamespaceName } from '../../src/coordinator/check-namespace-name.js';
import { TICK_MS, unwatchDeadline, watchDeadline } from '../../src/coordinator/deadline-ticker.js';
import { IdempotencyCache } from '../../src/coordinator/idempotency-cache.js';
import type { MulticastReport } from '../../src/coordinator/muster-api.js';
import { newMulticastId } from '../../src/coordinator/new-multicast-id.js';
import { parseSort } from '../../src/coordinator/parse-sort.js';
import { isAst, resolveFilter } from '../../src/coordinator/resolve-filter.js';
import { RETRY_BASE_MS, retryDelay } from '../../src/coordinator/retry-delay.js';
import { slotError } from '../../src/coordinator/slot-error.js';
import { MusterError } from '../../src/errors/muster-error.js';

const report = (id: string): MulticastReport => ({
  multicastId: id,
  targetCount: 0,
  deliveredCount: 0,
  deliveries: [],
});

describe('retryDelay', () => {
  test('full jitter under an exponential ceiling', () => {
    expect(retryDelay(0, () => 0)).toBe(0);
    expect(retryDelay(0, () => 0.999)).toBe(RETRY_BASE_MS - 1);
    expect(retryDelay(3, () => 0.999)).toBe(RETRY_BASE_MS * 8 - 1);
    expect(retryDelay(30, () => 0.999)).toBeLessThan(2000);
    const samples = Array.from({ length: 200 }, () => retryDelay(2));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(RETRY_BASE_MS * 4);
    expect(new Set(samples).size).toBeGreaterThan(5);
  });
});

describe('IdempotencyCache', () => {
  test('remembers by key for a day, at most maxKeys, oldest first', async () => {
    const cache = new IdempotencyCache(2, 1000);
    const a = Promise.resolve(report('a'));
    cache.set('a', a, 0);
    expect(cache.get('a', 999)).toBe(a);
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('a', a, 0);
    cache.set('b', Promise.resolve(report('b')), 1);
    cache.set('c', Promise.resolve(report('c')), 2);
    expect(cache.get('a', 3)).toBeUndefined();
    expect(cache.get('b', 3)).toBeDefined();
    expect(cache.get('c', 3)).toBeDefined();
  });

  test('a failed multicast forgets its key', async () => {
    const cache = new IdempotencyCache();
    const failed = Promise.reject(new Error('x'));
    cache.set('k', failed, 0);
    await failed.catch(() => {});
    await Promise.resolve();
    expect(cache.get('k', 0)).toBeUndefined();
  });
});

describe('AsyncQueue', () => {
  test('buffers, hands over to a waiting reader, and serves concurrent reads in order', async () => {
    const taken: number[] = [];
    const queue = new AsyncQueue<number>((item) => taken.push(item));
    queue.push(1);
    const first = queue.next();
    const second = queue.next();
    const third = queue.next();
    queue.push(2);
    queue.push(3);
    expect(await Promise.all([first, second, third])).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
    ]);
    expect(taken).toEqual([1, 2, 3]);
  });

  test('end with an error: buffered items first when kept, then the error once, then done', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end(new Error('behind'), true);
    queue.push(2);
    expect(await queue.next()).toEqual({ done: false, value: 1 });
    await expect(queue.next()).rejects.toThrow('behind');
    expect(await queue.next()).toMatchObject({ done: true });
  });

  test('end without keeping drops the buffer; waiting readers finish', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end();
    expect(await queue.next()).toMatchObject({ done: true });
    const other = new AsyncQueue<number>();
    const waiting = [other.next(), other.next()];
    other.end();
    expect(await Promise.all(waiting)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });

  test('a long stream compacts its buffer', async () => {
    const queue = new AsyncQueue<number>();
    for (let i = 0; i < 5000; i++) queue.push(i);
    for (let i = 0; i < 4000; i++) expect((await queue.next()).value).toBe(i);
    expect(queue.size).toBe(1000);
    for (let i = 4000; i < 5000; i++) expect((await queue.next()).value).toBe(i);
    expect(queue.size).toBe(0);
  });
});

describe('resolveFilter', () => {
  test('recognises a parsed AST by being frozen, never a JSON-parsed object', () => {
    const ast = parse('a == 1');
    expect(isAst(ast)).toBe(true);
    expect(resolveFilter(ast, undefined)).toBe(ast);
    expect(isAst(JSON.parse(JSON.stringify(ast)))).toBe(false);
    expect(isAst(Object.freeze({ kind: 'unknown' }))).toBe(false);
    expect(resolveFilter(undefined, undefined)).toEqual({ kind: 'all' });
  });

  test('JSON form and string form parse to the same AST', () => {
    expect(resolveFilter({ 'a.lt': 2 }, undefined)).toEqual(resolveFilter('a < 2', undefined));
  });

  test('hand-built ASTs have their limits checked', () => {
    const regex = nodes.matches(['a'], 'x'.repeat(300), '');
    let error: unknown;
    try {
      resolveFilter(regex, undefined);
    } catch (caught) {
      error = caught;
    }
    expect(MusterError.is(error, 'INVALID_FILTER')).toBe(true);
    expect((error as MusterError).details.limit).toBe('maxRegexLength');
    expect(resolveFilter(regex, { maxRegexLength: 400 })).toBe(regex);
  });
});

describe('parseSort and names', () => {
  test('paths, special names and directions', () => {
    expect(parseSort(undefined, true)).toEqual([]);
    expect(
      parseSort(
        [
          { by: 'location.floor', direction: 'desc' },
          { by: 'registered_at' },
          { by: 'identity', direction: 'asc' },
          { by: 'labels."rack-id"' },
        ],
        true,
      ),
    ).toEqual([
      { by: { path: ['location', 'floor'] }, direction: 'desc' },
      { by: { field: 'registeredAt' }, direction: 'asc' },
      { by: { field: 'identity' }, direction: 'asc' },
      { by: { path: ['labels', 'rack-id'] }, direction: 'asc' },
    ]);
  });

  test('namespace names', () => {
    expect(checkNamespaceName('iot.eu-west_1')).toBe('iot.eu-west_1');
    expect(() => checkNamespaceName('a'.repeat(128))).not.toThrow();
    for (const bad of ['', 'a'.repeat(129), 'ü', 'a b', 5])
      expect(() => checkNamespaceName(bad)).toThrow(MusterError);
  });

  test('slotError keeps MusterErrors and wraps the rest as UNAVAILABLE', () => {
    const own = new MusterError('NOT_FOUND', 'x');
    expect(slotError(own)).toBe(own);
    const wrapped = slotError('boom');
    expect(wrapped.code).toBe('UNAVAILABLE');
    expect(wrapped.cause).toBe('boom');
  });
});

describe('deadline ticker', () => {
  test('checks every watched deadline each tick, through unwatches in any order and during a tick', () => {
    vi.useFakeTimers();
    try {
      const checked: string[] = [];
      const watches = new Map<string, ReturnType<typeof watchDeadline>>();
      const watch = (name: string, onCheck?: () => void) => {
        watches.set(
          name,
          watchDeadline({
            check: () => {
              checked.push(name);
              onCheck?.();
            },
          }),
        );
      };
      for (const name of ['a', 'b', 'c', 'd', 'e']) watch(name);
      unwatchDeadline(watches.get('b')!);
      unwatchDeadline(watches.get('b')!); // a second unwatch changes nothing
      vi.advanceTimersByTime(TICK_MS);
      expect(checked.sort()).toEqual(['a', 'c', 'd', 'e']);

      // A check that unwatches itself, one that unwatches another, one that watches a new one.
      checked.length = 0;
      watch('self', () => unwatchDeadline(watches.get('self')!));
      watch('other', () => unwatchDeadline(watches.get('a')!));
      watch('adds', () => {
        if (!watches.has('late')) watch('late');
      });
      vi.advanceTimersByTime(TICK_MS);
      // Every deadline still watched when its turn comes is checked (one moved by a removal
      // may be checked twice, or a new one early: a check is idempotent).
      expect(checked).toEqual(expect.arrayContaining(['c', 'd', 'e', 'self', 'other', 'adds']));
      expect(checked).not.toContain('b');
      checked.length = 0;
      vi.advanceTimersByTime(TICK_MS);
      expect(checked.sort()).toEqual(['adds', 'c', 'd', 'e', 'late', 'other']);

      // Once nothing is watched, the interval stops on its next tick.
      for (const name of ['c', 'd', 'e', 'other', 'adds', 'late'])
        unwatchDeadline(watches.get(name)!);
      checked.length = 0;
      vi.advanceTimersByTime(TICK_MS);
      expect(checked).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('newMulticastId', () => {
  test('version 4 UUIDs, distinct across refills of the random pool', () => {
    const ids = Array.from({ length: 2000 }, () => newMulticastId());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit turns up in every free position: the bytes are random, not a counter.
    const digits = new Set(ids.map((id) => id[0]));
    expect(digits.size).toBe(16);
  });
});
