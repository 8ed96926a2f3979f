import type {
  AllNode,
  AndNode,
  ContainsNode,
  EndsWithNode,
  EqNode,
  ExistsNode,
  FilterNode,
  InNode,
  MatchesNode,
  NotNode,
  OrNode,
  Path,
  RangeNode,
  RangeOperator,
  Scalar,
  StartsWithNode,
  TypeNode,
  ValueType,
} from './filter-node.js';

/**
 * Frozen AST node constructors. Every parser and pass builds nodes through these, so every AST is
 * deeply immutable and `and`/`or` are always flattened: two inputs that mean the same tree produce
 * structurally equal ASTs.
 */
const ALL: AllNode = Object.freeze({ kind: 'all' });

function freezePath(path: Path): Path {
  return Object.isFrozen(path) ? path : Object.freeze([...path]);
}

export const nodes = Object.freeze({
  all(): AllNode {
    return ALL;
  },
  and(children: readonly FilterNode[]): FilterNode {
    return junction('and', children);
  },
  or(children: readonly FilterNode[]): FilterNode {
    return junction('or', children);
  },
  not(child: FilterNode): NotNode {
    return Object.freeze({ kind: 'not', child });
  },
  eq(path: Path, value: Scalar): EqNode {
    return Object.freeze({ kind: 'eq', path: freezePath(path), value });
  },
  range(op: RangeOperator, path: Path, value: string | number): RangeNode {
    return Object.freeze({ kind: 'range', op, path: freezePath(path), value });
  },
  startsWith(path: Path, value: string): StartsWithNode {
    return Object.freeze({ kind: 'startswith', path: freezePath(path), value });
  },
  endsWith(path: Path, value: string): EndsWithNode {
    return Object.freeze({ kind: 'endswith', path: freezePath(path), value });
  },
  contains(path: Path, value: Scalar): ContainsNode {
    return Object.freeze({ kind: 'contains', path: freezePath(path), value });
  },
  matches(path: Path, pattern: string, flags: '' | 'i'): MatchesNode {
    return Object.freeze({ kind: 'matches', path: freezePath(path), pattern, flags });
  },
  in(path: Path, values: readonly Scalar[]): InNode {
    return Object.freeze({
      kind: 'in',
      path: freezePath(path),
      values: Object.freeze([...values]),
    });
  },
  exists(path: Path): ExistsNode {
    return Object.freeze({ kind: 'exists', path: freezePath(path) });
  },
  type(path: Path, type: ValueType): TypeNode {
    return Object.freeze({ kind: 'type', path: freezePath(path), type });
  },
});

function junction(kind: 'and' | 'or', children: readonly FilterNode[]): FilterNode {
  const flat: FilterNode[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...(child as AndNode | OrNode).children);
    else flat.push(child);
  }
  if (flat.length === 1) return flat[0]!;
  return Object.freeze({ kind, children: Object.freeze(flat) }) as AndNode | OrNode;
}
