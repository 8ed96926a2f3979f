/** A JSON scalar: the only operand type of `==`, `contains` and `in` items. */
export type Scalar = string | number | boolean | null;

/** A metadata path: the object keys walked from the metadata root. Never empty. */
export type Path = readonly string[];

/** The value types `is` can test. */
export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export const VALUE_TYPES: readonly ValueType[] = Object.freeze([
  'string',
  'number',
  'boolean',
  'null',
  'array',
  'object',
]);

/** Matches every identity: the empty filter (`""` or `{}`). Only ever the whole filter. */
export interface AllNode {
  readonly kind: 'all';
}

export interface AndNode {
  readonly kind: 'and';
  /** Two or more children, none of them an `and` (nested ands are flattened). */
  readonly children: readonly FilterNode[];
}

export interface OrNode {
  readonly kind: 'or';
  /** Two or more children, none of them an `or`. */
  readonly children: readonly FilterNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly child: FilterNode;
}

/** `path == value`; with a null value also matches a missing path. */
export interface EqNode {
  readonly kind: 'eq';
  readonly path: Path;
  readonly value: Scalar;
}

export type RangeOperator = 'lt' | 'lte' | 'gt' | 'gte';

/** `<`, `<=`, `>`, `>=`: type-bracketed, numbers with numbers and strings with strings. */
export interface RangeNode {
  readonly kind: 'range';
  readonly op: RangeOperator;
  readonly path: Path;
  readonly value: string | number;
}

export interface StartsWithNode {
  readonly kind: 'startswith';
  readonly path: Path;
  readonly value: string;
}

export interface EndsWithNode {
  readonly kind: 'endswith';
  readonly path: Path;
  readonly value: string;
}

/** Array membership, or substring when both sides are strings. */
export interface ContainsNode {
  readonly kind: 'contains';
  readonly path: Path;
  readonly value: Scalar;
}

/** Regular expression search in the portable subset; `flags` is '' or 'i' (ASCII case-insensitive). */
export interface MatchesNode {
  readonly kind: 'matches';
  readonly path: Path;
  readonly pattern: string;
  readonly flags: '' | 'i';
}

export interface InNode {
  readonly kind: 'in';
  readonly path: Path;
  readonly values: readonly Scalar[];
}

export interface ExistsNode {
  readonly kind: 'exists';
  readonly path: Path;
}

export interface TypeNode {
  readonly kind: 'type';
  readonly path: Path;
  readonly type: ValueType;
}

export type LeafNode =
  | EqNode
  | RangeNode
  | StartsWithNode
  | EndsWithNode
  | ContainsNode
  | MatchesNode
  | InNode
  | ExistsNode
  | TypeNode;

export type FilterNode = AllNode | AndNode | OrNode | NotNode | LeafNode;

export type FilterNodeKind = FilterNode['kind'];

export function isLeaf(node: FilterNode): node is LeafNode {
  return node.kind !== 'all' && node.kind !== 'and' && node.kind !== 'or' && node.kind !== 'not';
}
