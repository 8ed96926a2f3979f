/** Stable error codes. Messages may change between versions; codes do not. */
export type FilterErrorCode = 'INVALID_FILTER' | 'INVALID_METADATA';

/** Where in a string filter the problem is (1-based line and column, 0-based offset). */
export interface SourceLocation {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface FilterErrorDetails {
  /** For string input: where the error is. */
  readonly location?: SourceLocation;
  /** For string input: the offending line with a caret under the error. */
  readonly excerpt?: string;
  /** Which limit was exceeded, e.g. `maxDepth`. */
  readonly limit?: string;
  /** For JSON-form filters and metadata: the path of the offending key, e.g. `["$and", 0, "a.lt"]`. */
  readonly path?: readonly (string | number)[];
}

const MARK = Symbol.for('@muster/filter/FilterError');

/** The one error this package throws for bad filters and bad metadata. */
export class FilterError extends Error {
  readonly code: FilterErrorCode;
  readonly details: FilterErrorDetails;

  constructor(code: FilterErrorCode, message: string, details: FilterErrorDetails = {}) {
    super(message);
    this.name = 'FilterError';
    this.code = code;
    this.details = details;
    Object.defineProperty(this, MARK, { value: true });
  }

  /** True for a FilterError even when several copies of this package are installed. */
  static is(value: unknown): value is FilterError {
    return typeof value === 'object' && value !== null && MARK in value;
  }
}

export function invalidFilter(message: string, details: FilterErrorDetails = {}): FilterError {
  return new FilterError('INVALID_FILTER', message, details);
}
