import fc from 'fast-check';
import { expect, test } from 'vitest';
import { pcreLiteral } from '../../src/regex/to-pcre-regex.js';
import { runSeed } from '../../src/testing/arbitraries.js';
import { pcreToJsRegex } from './mingo-harness.js';

const textArb = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(...'\\^$.|?*+()[]{}-/#"\' \n\tQEz'),
      fc.integer({ min: 1, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
    ),
  })
  .filter((text) => !text.includes('\u0000') && text.isWellFormed());

test('an escaped literal is printable ASCII and matches exactly its text', () => {
  const seed = runSeed();
  console.log(`mongo pcreLiteral: FILTER_SEED=${seed}`);
  fc.assert(
    fc.property(textArb, textArb, (text, other) => {
      const pattern = pcreLiteral(text);
      expect(pattern).toMatch(/^[!-~]*$/);
      const whole = pcreToJsRegex(`\\A${pattern}\\z`);
      expect(whole.test(text)).toBe(true);
      expect(whole.test(other)).toBe(other === text);
      expect(pcreToJsRegex(pattern).test(other)).toBe(other.includes(text));
    }),
    { seed, numRuns: 3000 },
  );
});

test('examples', () => {
  expect(pcreLiteral('')).toBe('');
  expect(pcreLiteral('aZ09')).toBe('aZ09');
  expect(pcreLiteral('\\E.*')).toBe('\\\\E\\.\\*');
  expect(pcreLiteral('é 😀\n')).toBe('\\x{E9}\\x{20}\\x{1F600}\\x{A}');
});
