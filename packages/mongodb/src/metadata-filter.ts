import type { FilterNode, LeafNode, Predicate } from '@muster/filter';
import { compile, nodes, overApproximate, toMongo } from '@muster/filter';
import type { Filter } from 'mongodb';
import type { IdentityDocument } from './identity-document.js';

/** A filter as the adapter runs it: the server's query, plus a re-check where that is a superset. */
export interface MetadataFilter {
  readonly query: Filter<IdentityDocument>;
  /** Present when `query` may match too much: every document must also pass it. */
  readonly predicate: Predicate | undefined;
}

// Coordinators hand the same AST object to every page of a walk: compile it once per mode.
const exactCache = new WeakMap<FilterNode, MetadataFilter>();
const quirkCache = new WeakMap<FilterNode, MetadataFilter>();

/**
 * Compiles a filter with `toMongo`. With `quirks` (mongo-java-server), leaves that server gets
 * wrong are left out of the server query (over-approximated) and re-checked with `compile`.
 */
export function metadataFilter(ast: FilterNode, quirks: boolean): MetadataFilter {
  const cache = quirks ? quirkCache : exactCache;
  let compiled = cache.get(ast);
  if (compiled === undefined) {
    const { node, exact: kept } = quirks
      ? overApproximate(splitIn(ast), isJavaServerExact)
      : { node: ast, exact: true };
    const { query, exact } = toMongo(node, { field: 'metadata' });
    compiled = { query, predicate: kept && exact ? undefined : compile(ast) };
    cache.set(ast, compiled);
  }
  return compiled;
}

/**
 * The leaves mongo-java-server 1.47 evaluates as MongoDB does (checked with the filter corpus and
 * the fuzz): not the `$regex` ones (startswith, endswith, matches, string contains), not string
 * ranges (UTF-16 order), and not `in`, which `splitIn` turns into `==` leaves first.
 */
function isJavaServerExact(leaf: LeafNode): boolean {
  switch (leaf.kind) {
    case 'startswith':
    case 'endswith':
    case 'matches':
    case 'in':
      return false;
    case 'contains':
      return typeof leaf.value !== 'string';
    case 'range':
      return typeof leaf.value !== 'string';
    default:
      return true;
  }
}

/** `in [a, b]` as `== a or == b` (the same meaning): its `$eq` is right where its `$in` is not. */
function splitIn(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'in':
      return node.values.length === 0
        ? nodes.not(nodes.all())
        : node.values.length === 1
          ? nodes.eq(node.path, node.values[0]!)
          : nodes.or(node.values.map((value) => nodes.eq(node.path, value)));
    case 'not':
      return nodes.not(splitIn(node.child));
    case 'and':
      return nodes.and(node.children.map(splitIn));
    case 'or':
      return nodes.or(node.children.map(splitIn));
    default:
      return node;
  }
}
