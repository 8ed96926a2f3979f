import { validateMetadata } from '@muster/filter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureMetadata } from '../../src/identity/measure-metadata.js';

const utf8 = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

function validatorAccepts(value: unknown): boolean {
  try {
    validateMetadata(value);
    return true;
  } catch {
    return false;
  }
}

/** Valid metadata documents: safe keys, well-formed strings without U+0000, finite numbers. */
const safeKey = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 6 })
  .filter((k) => !k.includes('.') && !k.startsWith('$') && !k.includes('\u0000'));
const safeValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    {
      weight: 5,
      arbitrary: fc.oneof(
        fc.string({ unit: 'grapheme' }).filter((t) => !t.includes('\u0000')),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      ),
    },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(safeKey, tie('value'), { maxKeys: 4 }) },
  ),
})).value;
const documentArb = fc.dictionary(safeKey, safeValue, { maxKeys: 6 });

/** Keys and values near every metadata rule, valid and not. */
const edgyKey = fc.oneof(
  fc.constantFrom('a', 'b', 'é', '😀', 'x"y', 'a\\b', 'tab\t', '__proto__', 'constructor'),
  fc.constantFrom('', 'a.b', '$x', 'x$', 'nul\u0000', '\ud800', 'lo\udc00w', '\u001f'),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const edgyScalar = fc.oneof(
  fc.constantFrom('', 'plain', 'é€😀', '"\\\n\r\t\b\f\u0001\u001f', '\u2028\u2029', '\ufeff'),
  fc.constantFrom('nul\u0000', '\udfff', 'a\ud83d'),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345, -1e15, 2 ** 53, 0.1 + 0.2),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, 10n, Symbol('s'), () => 1),
  fc.constantFrom(new Date(0), new Map(), /x/),
);
const edgyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 5, arbitrary: edgyScalar },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.sparseArray(tie('value'), { maxLength: 4 }) },
    {
      weight: 2,
      arbitrary: fc.array(fc.tuple(edgyKey, tie('value')), { maxLength: 4 }).map((entries) => {
        const object: Record<string, unknown> = {};
        for (const [k, v] of entries)
          Object.defineProperty(object, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return object;
      }),
    },
  ),
})).value;

describe('measureMetadata', () => {
  it('counts exactly the UTF-8 bytes of JSON.stringify with exact, and bounds them without', () => {
    const check = (document: Record<string, unknown>) => {
      const exact = measureMetadata(document, 64, true);
      if (!exact.valid) return false;
      expect(exact.bytes).toBe(utf8(document));
      const bound = measureMetadata(document, 64);
      expect(bound.valid).toBe(true);
      expect(bound.bytes).toBeGreaterThanOrEqual(exact.bytes);
      return true;
    };
    fc.assert(
      fc.property(documentArb, (document) => {
        expect(check(document)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(edgyValue, (value) => {
        check({ v: value });
      }),
      { numRuns: 3000 },
    );
    // The numbers with the longest JSON forms, and strings of 6-byte escapes.
    for (const document of [
      { n: -1.7976931348623157e308, m: -0.0000012345678901234567, k: -5e-324 },
      { s: '\u0001\u0002\u001f', t: '😀😀' },
    ])
      expect(check(document)).toBe(true);
  });

  it('accepts exactly what validateMetadata accepts', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.oneof(edgyValue, fc.dictionary(edgyKey, edgyValue)), (value) => {
        const accepted = validatorAccepts(value);
        seen[accepted ? 'valid' : 'invalid']++;
        expect(measureMetadata(value, 64).valid).toBe(accepted);
      }),
      { numRuns: 5000 },
    );
    // Both outcomes must be well represented for the agreement to mean anything.
    expect(seen.valid).toBeGreaterThan(250);
    expect(seen.invalid).toBeGreaterThan(500);
  });

  it('refuses a root that is not a plain object', () => {
    for (const root of [null, [], 'x', 1, new Date(0), Object.create({ a: 1 })]) {
      expect(measureMetadata(root, 16).valid).toBe(false);
    }
    expect(measureMetadata(Object.create(null), 16)).toEqual({ valid: true, bytes: 2 });
  });

  it('counts depth from the root object (1) and stops at the first container too deep', () => {
    expect(measureMetadata({ a: 1 }, 1).tooDeepAt).toBeUndefined();
    expect(measureMetadata({ a: {} }, 1).tooDeepAt).toEqual(['a']);
    expect(measureMetadata({ a: [] }, 1).tooDeepAt).toEqual(['a']);
    expect(measureMetadata({ a: { b: [1, [2]] } }, 3).tooDeepAt).toEqual(['a', 'b', 1]);
    expect(measureMetadata({ a: { b: [1, [2]] } }, 4).tooDeepAt).toBeUndefined();
    expect(measureMetadata({}, 0).tooDeepAt).toEqual([]);
  });

  it('ends a cycle as too deep instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(measureMetadata(cyclic, 16).tooDeepAt).toHaveLength(16);
  });
});
