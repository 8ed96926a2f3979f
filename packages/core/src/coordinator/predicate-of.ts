import { compile, type FilterNode, type Predicate } from '@muster/filter';
import { filterError } from './resolve-filter.js';

const compiled = new WeakMap<FilterNode, Predicate>();

/**
 * The reference predicate of a filter, compiled once per AST object (compiling generates code, so
 * it must not happen per call); undefined for `all`, which needs no test.
 */
export function predicateOf(filter: FilterNode): Predicate | undefined {
  if (filter.kind === 'all') return undefined;
  let predicate = compiled.get(filter);
  if (predicate === undefined) {
    try {
      predicate = compile(filter);
    } catch (error) {
      throw filterError(error);
    }
    compiled.set(filter, predicate);
  }
  return predicate;
}
