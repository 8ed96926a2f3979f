import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { checkIdentity, MAX_IDENTITY_LENGTH } from '../../src/identity/check-identity.js';

const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@/+=~';

function errorOf(identity: unknown): MusterError {
  try {
    checkIdentity(identity);
  } catch (error) {
    if (MusterError.is(error)) return error;
    throw error;
  }
  throw new Error(`checkIdentity accepted ${JSON.stringify(identity)}`);
}

describe('checkIdentity', () => {
  it('accepts every character of the safe set and returns the identity', () => {
    expect(checkIdentity(SAFE)).toBe(SAFE);
    expect(checkIdentity('device-42')).toBe('device-42');
    expect(checkIdentity('user:alice@example.com/session+1=a~b_c.d')).toBe(
      'user:alice@example.com/session+1=a~b_c.d',
    );
  });

  it('accepts 1 and 256 characters, refuses 0 and 257', () => {
    expect(checkIdentity('a')).toBe('a');
    expect(checkIdentity('a'.repeat(MAX_IDENTITY_LENGTH))).toHaveLength(256);
    const empty = errorOf('');
    expect(empty.code).toBe('INVALID_ARGUMENT');
    expect(empty.message).toMatch(/empty/);
    const long = errorOf('a'.repeat(257));
    expect(long.code).toBe('INVALID_ARGUMENT');
    expect(long.message).toMatch(/257 characters.*at most 256/);
    expect(long.details).toMatchObject({ field: 'identity', max: 256, actual: 257 });
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['a']]) {
      const error = errorOf(value);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/must be a string/);
    }
  });

  it('names the first bad character and its index', () => {
    const error = errorOf('ok-so far here');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('" " (U+0020) at index 5');
    expect(error.details).toMatchObject({ field: 'identity', index: 5, character: ' ' });
    expect(errorOf('ab*c#').details).toMatchObject({ index: 2, character: '*' });
    expect(errorOf('café').message).toContain('"é" (U+00E9) at index 3');
    expect(errorOf('x😀').message).toContain('U+1F600) at index 1');
    expect(errorOf('a\u0000').details).toMatchObject({ index: 1 });
    for (const bad of [
      '$',
      '#',
      '%',
      '?',
      '*',
      ',',
      ';',
      '<',
      '>',
      '"',
      "'",
      '\\',
      '\n',
      '\t',
      '|',
      '!',
      '&',
    ]) {
      expect(errorOf(`a${bad}`).details.index).toBe(1);
    }
  });

  it('agrees with the set definition on random strings', () => {
    const allowed = new Set(SAFE);
    const character = fc.oneof(
      fc.constantFrom(...SAFE),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(character, { maxLength: 300 }), (characters) => {
        const identity = characters.join('');
        const expected =
          identity.length >= 1 &&
          identity.length <= 256 &&
          [...identity].every((c) => allowed.has(c));
        let accepted = true;
        try {
          checkIdentity(identity);
        } catch (error) {
          expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
          accepted = false;
        }
        expect(accepted).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
