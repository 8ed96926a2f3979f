import type { CodePointRanges } from './code-point-ranges.js';

/**
 * The regex AST: frozen plain objects discriminated by `kind`. Groups leave no node (grouping is
 * only structure), `i` is already folded into chars and sets, and every set is normalized, so two
 * patterns that mean the same thing often produce equal trees.
 */
export type RegexNode =
  | RegexEmpty
  | RegexChar
  | RegexSet
  | RegexStart
  | RegexEnd
  | RegexConcat
  | RegexAlternation
  | RegexRepeat;

/** Matches the empty string (the empty pattern, an empty alternative or group). */
export interface RegexEmpty {
  readonly kind: 'empty';
}

/** One literal code point. */
export interface RegexChar {
  readonly kind: 'char';
  readonly codePoint: number;
}

/** One code point from a set (class, `.`, `\d`, a case-folded letter); never empty or a single point. */
export interface RegexSet {
  readonly kind: 'set';
  readonly ranges: CodePointRanges;
}

/** `^`: start of the string. */
export interface RegexStart {
  readonly kind: 'start';
}

/** `$`: end of the string (never before a trailing newline). */
export interface RegexEnd {
  readonly kind: 'end';
}

/** Two or more items in sequence; never directly contains a concat or an empty node. */
export interface RegexConcat {
  readonly kind: 'concat';
  readonly items: readonly RegexNode[];
}

/** Two or more alternatives. */
export interface RegexAlternation {
  readonly kind: 'alternation';
  readonly alternatives: readonly RegexNode[];
}

/** `node{min,max}`; `max` null means unbounded. 0 <= min <= max <= 255. */
export interface RegexRepeat {
  readonly kind: 'repeat';
  readonly node: RegexNode;
  readonly min: number;
  readonly max: number | null;
}
