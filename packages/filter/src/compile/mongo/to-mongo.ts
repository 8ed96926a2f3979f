import type { FilterNode } from '../../ast/filter-node.js';
import { overApproximate } from '../../passes/over-approximate.js';
import { compileMongoLeaf } from './compile-mongo-leaf.js';
import { isMongoPushable } from './is-mongo-pushable.js';
import { mongoField } from './mongo-field.js';
import { allOf, anyOf, type MongoQuery, matchAll, negate } from './mongo-query.js';

export interface ToMongoOptions {
  /** The document field (a dotted path of plain identifiers) holding the metadata object. Default `metadata`. */
  readonly field?: string;
}

export interface MongoCompilation {
  /** A query document for `find`/`countDocuments`/`$match`. */
  readonly query: MongoQuery;
  /** False when the query is a superset prefilter: re-check each result with `compile(ast)`. */
  readonly exact: boolean;
}

/**
 * Compiles a filter into a MongoDB query document with exactly the filter's semantics (or, with
 * `exact: false`, a superset). Requirements on the collection: the simple (binary) collation,
 * which is the default, and the metadata object stored at `field` in every document.
 */
export function toMongo(ast: FilterNode, options: ToMongoOptions = {}): MongoCompilation {
  const field = mongoField(options.field);
  const { node, exact } = overApproximate(ast, isMongoPushable);
  return { query: compileNode(node, field), exact };
}

function compileNode(node: FilterNode, field: string): MongoQuery {
  switch (node.kind) {
    case 'all':
      return matchAll();
    case 'not':
      // Also `not(all)`, which becomes `{$nor: [{}]}`: matches nothing.
      return negate(compileNode(node.child, field));
    case 'and':
      return allOf(node.children.map((child) => compileNode(child, field)));
    case 'or':
      return anyOf(node.children.map((child) => compileNode(child, field)));
    default:
      return compileMongoLeaf(node, field);
  }
}
