import { describe, expect, it } from 'vitest';
import { validateMetadata } from '../src/validate/validate-metadata.js';
import { catchFilterError } from './support/catch-filter-error.js';

const rejection = (metadata: unknown) => catchFilterError(() => validateMetadata(metadata));

describe('validateMetadata', () => {
  it('accepts JSON objects that follow the rules', () => {
    expect(() =>
      validateMetadata({
        a: 1,
        b: [1, 'x', null, [true], { c: {} }],
        'rack-id': 'é😀',
        n: -0.5,
        '0': false,
      }),
    ).not.toThrow();
  });

  it('names the offending path with INVALID_METADATA', () => {
    const cases: [unknown, (string | number)[], RegExp][] = [
      [{ 'a.b': 1 }, ['a.b'], /must not contain "\."/],
      [{ a: { $gt: 1 } }, ['a', '$gt'], /must not start with "\$"/],
      [{ a: [{ '': 1 }] }, ['a', 0, ''], /must not be empty/],
      [{ 'a\u0000': 1 }, ['a\u0000'], /U\+0000/],
      [{ a: 'x\u0000' }, ['a'], /U\+0000/],
      [{ a: '\ud800' }, ['a'], /lone surrogate/],
      [{ a: [1, Number.NaN] }, ['a', 1], /not finite/],
      [{ a: Number.POSITIVE_INFINITY }, ['a'], /not finite/],
      [{ a: undefined }, ['a'], /undefined is not a JSON value/],
      [{ a: new Date(0) }, ['a'], /Date is not a JSON value/],
      [{ a: 1n }, ['a'], /bigint is not a JSON value/],
    ];
    for (const [metadata, path, message] of cases) {
      const error = rejection(metadata);
      expect(error.code).toBe('INVALID_METADATA');
      expect(error.details.path).toEqual(path);
      expect(error.message).toMatch(message);
    }
  });

  it('requires an object at the root', () => {
    expect(rejection([]).message).toMatch(/must be a JSON object, not an array/);
    expect(rejection(null).message).toMatch(/not null/);
    expect(rejection('x').message).toMatch(/not a string/);
  });
});
