/** Limits on a filter's size; going over one is INVALID_FILTER naming the limit. Defaults follow RFC-017. */
export interface FilterLimits {
  /** Longest chain of nested `and`/`or`/`not` (a `not` directly over a comparison does not count). */
  readonly maxDepth: number;
  /** Most comparisons (leaves) in one filter. */
  readonly maxComparisons: number;
  /** Longest string filter, in UTF-16 code units; for the JSON form, of its JSON text. */
  readonly maxInputLength: number;
  /** Longest `matches` pattern, in characters. */
  readonly maxRegexLength: number;
  /** Most items in one `in` list. */
  readonly maxInItems: number;
}

export const DEFAULT_FILTER_LIMITS: FilterLimits = Object.freeze({
  maxDepth: 5,
  maxComparisons: 20,
  maxInputLength: 4096,
  maxRegexLength: 256,
  maxInItems: 1000,
});
