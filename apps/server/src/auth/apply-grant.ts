import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { type FilterInput, type Metadata, MusterError } from '@muster/core';
import { type FilterLimits, type FilterNode, nodes } from '@muster/filter';
import type { Grant } from './grant.js';
import { parseFilter } from './parse-filter.js';

/**
 * The filter a call runs with: the caller's, ANDed with the key's publisher filter (so a key
 * only ever reaches its own fleet), after checking that it only reads fields the key may see.
 * Without a publisher filter or visible fields the input goes to the coordinator unparsed.
 */
export function restrictFilter(
  input: FilterInput | undefined,
  grant: Grant,
  limits: Partial<FilterLimits> | undefined,
): FilterInput | undefined {
  if (grant.publisherFilter === undefined && grant.visibleFields === undefined) return input;
  const own = input === undefined ? undefined : parseFilter(input, limits);
  if (own !== undefined && grant.visibleFields !== undefined)
    checkVisible(own, grant.visibleFields);
  if (grant.publisherFilter === undefined) return own;
  return own === undefined ? grant.publisherFilter : nodes.and([own, grant.publisherFilter]);
}

/** A filter may not test a field the key cannot see (it would reveal the field's values). */
function checkVisible(node: FilterNode, visible: readonly string[]): void {
  if ('children' in node) for (const child of node.children) checkVisible(child, visible);
  else if ('child' in node) checkVisible(node.child, visible);
  else if ('path' in node && !isVisible(node.path, visible))
    throw new MusterError(
      'PERMISSION_DENIED',
      `the filter reads "${node.path.join('.')}", which this API key may not see`,
      {
        details: { field: 'filter', path: node.path.join('.') },
      },
    );
}

function isVisible(path: readonly string[], visible: readonly string[]): boolean {
  const dotted = path.join('.');
  return visible.some((field) => dotted === field || dotted.startsWith(`${field}.`));
}

/** Metadata trimmed to the key's visible fields (undefined when it sees everything). */
export function metadataProjection(grant: Grant): ((metadata: Metadata) => JsonObject) | undefined {
  const visible = grant.visibleFields;
  if (visible === undefined) return undefined;
  const paths = visible.map((field) => field.split('.'));
  return (metadata) => {
    const out: { [key: string]: JsonValue } = {};
    for (const path of paths) copyPath(metadata as JsonObject, out, path);
    return out;
  };
}

function copyPath(
  from: JsonObject,
  to: { [key: string]: JsonValue },
  path: readonly string[],
): void {
  const [head, ...rest] = path;
  if (head === undefined || !Object.hasOwn(from, head)) return;
  const value = from[head] as JsonValue;
  if (rest.length === 0) {
    to[head] = value;
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const existing = to[head];
  const child: { [key: string]: JsonValue } =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing)
      ? (existing as { [key: string]: JsonValue })
      : {};
  to[head] = child;
  copyPath(value, child, rest);
  if (Object.keys(child).length === 0) delete to[head];
}
