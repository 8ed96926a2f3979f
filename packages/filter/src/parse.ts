import type { FilterNode } from './ast/filter-node.js';
import { invalidFilter } from './errors/filter-error.js';
import { parseJsonForm } from './json-form/parse-json-form.js';
import { parseString } from './syntax/parse-string.js';
import { checkInputLength, checkLimits } from './validate/check-limits.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from './validate/filter-limits.js';

export interface ParseOptions {
  /** Override some or all of the default limits. */
  readonly limits?: Partial<FilterLimits>;
}

/**
 * Parses a filter in the string syntax (`battery_level < 0.2 and ...`) or the JSON form
 * (`{"battery_level.lt": 0.2}`) into the frozen AST. Throws FilterError (INVALID_FILTER).
 */
export function parse(input: unknown, options: ParseOptions = {}): FilterNode {
  const limits = options.limits
    ? { ...DEFAULT_FILTER_LIMITS, ...options.limits }
    : DEFAULT_FILTER_LIMITS;
  let ast: FilterNode;
  if (typeof input === 'string') {
    checkInputLength(input.length, limits);
    ast = parseString(input);
  } else if (typeof input === 'object' && input !== null) {
    checkInputLength(jsonLength(input), limits);
    ast = parseJsonForm(input);
  } else {
    throw invalidFilter(
      `a filter is a string or a JSON object, not ${input === null ? 'null' : typeof input}`,
    );
  }
  checkLimits(ast, limits);
  return ast;
}

function jsonLength(input: object): number {
  try {
    return JSON.stringify(input)?.length ?? 0;
  } catch {
    throw invalidFilter('a JSON-form filter must be serializable as JSON');
  }
}
