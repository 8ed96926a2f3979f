import { compile, FilterError, type FilterNode, type Predicate } from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';

const compiled = new WeakMap<FilterNode, Predicate>();
const signatures = new WeakMap<FilterNode, string>();

/**
 * The compiled predicate of a filter AST, cached per AST object; undefined for `all` (no test
 * needed). A filter the compiler rejects is INVALID_FILTER with the FilterError as cause.
 */
export function filterPredicate(filter: FilterNode): Predicate | undefined {
  if (typeof filter !== 'object' || filter === null)
    throw new MusterError('INVALID_FILTER', 'filter must be a filter AST', {
      details: { field: 'filter' },
    });
  if (filter.kind === 'all') return undefined;
  let predicate = compiled.get(filter);
  if (predicate === undefined) {
    try {
      predicate = compile(filter);
    } catch (error) {
      throw wrap(error);
    }
    compiled.set(filter, predicate);
  }
  return predicate;
}

/** A string naming the filter's content, cached per AST object (keys sorted-view caches). */
export function filterSignature(filter: FilterNode): string {
  let signature = signatures.get(filter);
  if (signature === undefined) {
    signature = JSON.stringify(filter);
    signatures.set(filter, signature);
  }
  return signature;
}

function wrap(error: unknown): MusterError {
  if (FilterError.is(error))
    return new MusterError(
      error.code === 'INVALID_METADATA' ? 'INVALID_METADATA' : 'INVALID_FILTER',
      error.message,
      { details: { ...error.details }, cause: error },
    );
  return new MusterError('INVALID_FILTER', 'filter could not be compiled', {
    details: { field: 'filter' },
    cause: error,
  });
}
