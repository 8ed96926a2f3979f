import {
  DEFAULT_FILTER_LIMITS,
  FilterError,
  type FilterLimits,
  type FilterNode,
  measureFilter,
  nodes,
  parse,
} from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';

const KINDS: ReadonlySet<string> = new Set([
  'all',
  'and',
  'or',
  'not',
  'eq',
  'range',
  'startswith',
  'endswith',
  'contains',
  'matches',
  'in',
  'exists',
  'type',
]);

const ALL = nodes.all();

/**
 * A filter as callers give it, as the AST slots receive: a string or a JSON-form object goes
 * through `parse` (with the namespace's limits); an already parsed AST is recognised as a frozen
 * object whose `kind` is a node kind (parse and `nodes` freeze every node; objects from
 * JSON.parse never are) and only has its limits checked; undefined matches everything.
 * Throws INVALID_FILTER with the FilterError as cause and its details (location, path, limit).
 */
export function resolveFilter(
  input: unknown,
  limits: Partial<FilterLimits> | undefined,
): FilterNode {
  if (input === undefined) return ALL;
  try {
    if (isAst(input)) {
      checkAstLimits(
        input,
        limits === undefined ? DEFAULT_FILTER_LIMITS : { ...DEFAULT_FILTER_LIMITS, ...limits },
      );
      return input;
    }
    return limits === undefined ? parse(input) : parse(input, { limits });
  } catch (error) {
    throw filterError(error);
  }
}

export function isAst(input: unknown): input is FilterNode {
  return (
    typeof input === 'object' &&
    input !== null &&
    Object.isFrozen(input) &&
    typeof (input as { kind?: unknown }).kind === 'string' &&
    KINDS.has((input as { kind: string }).kind)
  );
}

/** A FilterError (or anything a filter compiler threw) as INVALID_FILTER. */
export function filterError(error: unknown): MusterError {
  if (MusterError.is(error)) return error;
  if (FilterError.is(error))
    return new MusterError('INVALID_FILTER', error.message, {
      details: { field: 'filter', ...error.details },
      cause: error,
    });
  return new MusterError('INVALID_FILTER', 'the filter is not valid', {
    details: { field: 'filter' },
    cause: error,
  });
}

/** The checks `parse` applies, for an AST built by hand (`nodes`) that never went through it. */
function checkAstLimits(ast: FilterNode, limits: FilterLimits): void {
  const size = measureFilter(ast);
  if (size.depth > limits.maxDepth)
    throw tooLarge(`filter is nested ${size.depth} levels deep`, 'maxDepth', limits.maxDepth);
  if (size.comparisons > limits.maxComparisons)
    throw tooLarge(
      `filter has ${size.comparisons} comparisons`,
      'maxComparisons',
      limits.maxComparisons,
    );
  checkLeaves(ast, limits);
}

function checkLeaves(node: FilterNode, limits: FilterLimits): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const child of node.children) checkLeaves(child, limits);
      return;
    case 'not':
      checkLeaves(node.child, limits);
      return;
    case 'in':
      if (node.values.length > limits.maxInItems)
        throw tooLarge(
          `"in" list has ${node.values.length} items`,
          'maxInItems',
          limits.maxInItems,
        );
      return;
    case 'matches': {
      const length = [...node.pattern].length;
      if (length > limits.maxRegexLength)
        throw tooLarge(
          `regex is ${length} characters long`,
          'maxRegexLength',
          limits.maxRegexLength,
        );
      return;
    }
    default:
      return;
  }
}

function tooLarge(what: string, limit: string, max: number): FilterError {
  return new FilterError('INVALID_FILTER', `${what}; the limit (${limit}) is ${max}`, { limit });
}
