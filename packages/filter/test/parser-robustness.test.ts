import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterError } from '../src/errors/filter-error.js';
import { format } from '../src/format/format.js';
import { parse } from '../src/parse.js';
import { filterArb, runSeed } from '../src/testing/arbitraries.js';

const SLOW_MS = 50;

/** Parses one input; anything but success or FilterError fails the test. Returns the time taken. */
function parseOnce(input: unknown): number {
  const started = performance.now();
  try {
    parse(input);
  } catch (error) {
    if (!FilterError.is(error)) {
      throw new Error(
        `${JSON.stringify(input).slice(0, 200)} threw a non-FilterError: ${String(error)}`,
      );
    }
  }
  return performance.now() - started;
}

/** A slow first run may be a GC pause: an input only counts as slow if it stays slow. */
function checkFast(input: unknown, elapsed: number): void {
  if (elapsed <= SLOW_MS) return;
  const best = Math.min(parseOnce(input), parseOnce(input), parseOnce(input));
  expect(best, `slow input: ${JSON.stringify(input).slice(0, 200)}`).toBeLessThanOrEqual(SLOW_MS);
}

const validFilterText = filterArb.map((ast) => format(ast));

/** Valid filters cut, spliced and sprinkled with odd characters. */
const mutatedArb = fc.oneof(
  fc.tuple(validFilterText, fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1))),
  fc
    .tuple(validFilterText, validFilterText, fc.nat(), fc.nat())
    .map(([a, b, i, j]) => a.slice(0, i % (a.length + 1)) + b.slice(j % (b.length + 1))),
  fc
    .tuple(
      validFilterText,
      fc.nat(),
      fc.constantFrom(
        '(',
        ')',
        '"',
        "'",
        '\\',
        '[',
        ']',
        ',',
        '.',
        '!',
        '=',
        '<',
        '\u0000',
        '😀',
        '\ud800',
        ' and ',
        ' not ',
      ),
    )
    .map(
      ([text, at, insert]) =>
        text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
    ),
);

const oddArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(...'()[]"\'\\,.!=<>&|aAnN01 -eE+\n\t'.split('')),
    maxLength: 200,
  }),
  fc.nat({ max: 3000 }).map((n) => `${'('.repeat(n)}a == 1${')'.repeat(n)}`),
  fc.nat({ max: 1000 }).map((n) => `${'not '.repeat(n)}a == 1`),
  fc.nat({ max: 1000 }).map((n) => `a in [${'['.repeat(n)}`),
  fc.nat({ max: 400 }).map((n) => `a == ${'9'.repeat(n)}.${'9'.repeat(n)}e${n}`),
  fc.nat({ max: 3000 }).map((n) => `a matches "${'(a*)*'.repeat(n % 60)}b"`),
  fc.json().map((text) => JSON.parse(text) as unknown),
);

describe('parser robustness', () => {
  it('parses or throws FilterError for 100,000 random and mutated inputs, each within 50 ms', () => {
    const seed = runSeed();
    console.log(`parser robustness seed=${seed}`);
    let count = 0;
    let slowest = 0;
    fc.assert(
      fc.property(fc.oneof(mutatedArb, oddArb), (input) => {
        const elapsed = parseOnce(input);
        slowest = Math.max(slowest, elapsed);
        checkFast(input, elapsed);
        count++;
      }),
      { seed, numRuns: 100_000 },
    );
    console.log(
      `parser robustness: ${count} inputs, slowest first attempt ${slowest.toFixed(2)} ms`,
    );
    expect(count).toBe(100_000);
  });
});
