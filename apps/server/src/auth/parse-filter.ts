import { type FilterInput, MusterError } from '@muster/core';
import { FilterError, type FilterLimits, type FilterNode, parse } from '@muster/filter';

/** A call's filter parsed within the namespace's limits; INVALID_FILTER when it does not parse. */
export function parseFilter(
  input: FilterInput,
  limits: Partial<FilterLimits> | undefined,
): FilterNode {
  try {
    return limits === undefined ? parse(input) : parse(input, { limits });
  } catch (error) {
    if (FilterError.is(error))
      throw new MusterError('INVALID_FILTER', error.message, {
        details: { field: 'filter', ...error.details },
        cause: error,
      });
    throw error;
  }
}
