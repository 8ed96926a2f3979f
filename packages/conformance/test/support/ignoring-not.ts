import type { RegistrySlot } from '@muster/core';
import { type FilterNode, nodes } from '@muster/filter';
import { wrapRegistry } from './wrap-registry.js';

/** Drops every `not` from a filter: `not f` becomes `f`. */
export function withoutNot(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'not':
      return withoutNot(node.child);
    case 'and':
      return nodes.and(node.children.map(withoutNot));
    case 'or':
      return nodes.or(node.children.map(withoutNot));
    default:
      return node;
  }
}

/** Broken on purpose: its filter ignores `not` (and still claims exact pages). */
export function ignoringNot(inner: RegistrySlot): RegistrySlot {
  return wrapRegistry(inner, {
    enumerate: (namespace, query, now) =>
      inner.enumerate(namespace, { ...query, filter: withoutNot(query.filter) }, now),
  });
}
