import { FilterError } from '../../src/errors/filter-error.js';

/** Runs `action`, which must throw a FilterError, and returns that error for assertions. */
export function catchFilterError(action: () => unknown, what = 'input'): FilterError {
  try {
    action();
  } catch (error) {
    if (FilterError.is(error)) return error;
    throw error;
  }
  throw new Error(`expected ${what} to be rejected`);
}
