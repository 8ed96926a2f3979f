import type { FilterNode } from '../../ast/filter-node.js';
import { leafJsonpath } from './leaf-jsonpath.js';
import type { ParameterList } from './parameter-list.js';

/** A compiled subtree. */
export interface SqlPart {
  readonly sql: string;
  /** True when a GIN jsonb_path_ops index on the column can drive this subtree. */
  readonly indexed: boolean;
  /** How many leaves of this subtree the index serves (0 unless `indexed`). */
  readonly indexedLeaves: number;
}

export interface SqlContext {
  /** The quoted jsonb column. */
  readonly column: string;
  readonly params: ParameterList;
}

const TRUE: SqlPart = { sql: 'TRUE', indexed: false, indexedLeaves: 0 };
const FALSE: SqlPart = { sql: 'FALSE', indexed: false, indexedLeaves: 0 };

/**
 * The visitor over the boolean structure. Every leaf compiles to a two-valued `@?` test, so
 * and/or are plain SQL; `not` is still written `IS NOT TRUE` so that a NULL column (which the
 * filter language never produces) cannot make a row vanish from both `f` and `not f`.
 */
export function booleanSql(node: FilterNode, context: SqlContext): SqlPart {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'not': {
      if (node.child.kind === 'all') return FALSE;
      const child = booleanSql(node.child, context);
      // `@?` binds tighter than IS, so no parentheses are needed around a leaf.
      return { sql: `(${child.sql} IS NOT TRUE)`, indexed: false, indexedLeaves: 0 };
    }
    case 'and':
      return junction(node.children, 'AND', context);
    case 'or':
      return junction(node.children, 'OR', context);
    default: {
      const leaf = leafJsonpath(node);
      if (leaf === false) return FALSE;
      const placeholder = context.params.add(leaf.jsonpath);
      return {
        sql: `${context.column} @? ${placeholder}::jsonpath`,
        indexed: leaf.indexed,
        indexedLeaves: leaf.indexed ? 1 : 0,
      };
    }
  }
}

function junction(
  children: readonly FilterNode[],
  operator: 'AND' | 'OR',
  context: SqlContext,
): SqlPart {
  const parts = children.map((child) => booleanSql(child, context));
  const sql = `(${parts.map((part) => part.sql).join(` ${operator} `)})`;
  const served = parts.reduce((sum, part) => sum + part.indexedLeaves, 0);
  // A bitmap AND needs one index-served conjunct; a bitmap OR needs every disjunct served.
  const indexed =
    operator === 'AND' ? parts.some((part) => part.indexed) : parts.every((part) => part.indexed);
  return { sql, indexed, indexedLeaves: indexed ? served : 0 };
}
