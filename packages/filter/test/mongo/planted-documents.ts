import fc from 'fast-check';
import type { FilterNode, LeafNode, Path, Scalar } from '../../src/ast/filter-node.js';
import { isLeaf } from '../../src/ast/filter-node.js';
import { documentArb, scalarArb } from '../../src/testing/arbitraries.js';

/**
 * Documents aimed at one filter: random documents into which values are planted at the filter's
 * own paths (the shared documentArb rarely hits a 2- or 3-key path). A plant is a value built from
 * the filter's operands (equal, prefixed, suffixed, inside arrays, nested arrays, objects), or a
 * trap for MongoDB's path rules: an intermediate that is an array of objects holding the rest of
 * the path (fan-out), an array of scalars, a scalar, null or an empty object.
 */
export function plantedDocumentsArb(ast: FilterNode): fc.Arbitrary<Record<string, unknown>[]> {
  const leaves = collectLeaves(ast);
  const paths = uniquePaths(leaves);
  const value = valueArb(operandsOf(leaves));
  const plant = (path: Path): fc.Arbitrary<Plant | undefined> =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 5, arbitrary: value.map((v): Plant => ({ path, depth: path.length, value: v })) },
      ...(path.length > 1
        ? [
            {
              weight: 2,
              arbitrary: fc
                .tuple(
                  fc.integer({ min: 1, max: path.length - 1 }),
                  value,
                  fc.constantFrom('fan-out', 'scalars', 'blocker'),
                )
                .map(
                  ([depth, v, trap]): Plant => ({
                    path,
                    depth,
                    value: trapValue(path.slice(depth), v, trap),
                  }),
                ),
            },
          ]
        : []),
    );
  const document = fc.tuple(documentArb, fc.tuple(...paths.map(plant))).map(([base, plants]) => {
    const copy = structuredClone(base);
    for (const p of plants) if (p !== undefined) setPath(copy, p.path.slice(0, p.depth), p.value);
    return copy;
  });
  return fc.array(document, { minLength: 1, maxLength: 8 });
}

interface Plant {
  readonly path: Path;
  /** How many keys of `path` to walk before setting `value`. */
  readonly depth: number;
  readonly value: unknown;
}

function trapValue(rest: Path, value: unknown, trap: string): unknown {
  if (trap === 'fan-out') return [nest(rest, value), 1];
  if (trap === 'scalars') return [value, 'a'];
  return value === undefined ? null : typeof value === 'object' ? {} : value;
}

function nest(rest: Path, value: unknown): unknown {
  return rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function setPath(document: Record<string, unknown>, path: Path, value: unknown): void {
  let current = document;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      const fresh: Record<string, unknown> = {};
      Object.defineProperty(current, key, {
        value: fresh,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      current = fresh;
    } else {
      current = next as Record<string, unknown>;
    }
  }
  Object.defineProperty(current, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function valueArb(operands: readonly Scalar[]): fc.Arbitrary<unknown> {
  const scalar =
    operands.length === 0 ? scalarArb : fc.oneof(fc.constantFrom(...operands), scalarArb);
  return fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 3, arbitrary: fc.array(scalar, { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.dictionary(fc.constantFrom('a', 'b'), scalar, { maxKeys: 2 }), {
        maxLength: 2,
      }),
    },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c'), scalar, { maxKeys: 2 }) },
  );
}

/** Operands and near misses: the operand itself, and strings that start or end with it. */
function operandsOf(leaves: readonly LeafNode[]): Scalar[] {
  const found = new Set<Scalar>();
  const add = (value: Scalar): void => {
    found.add(value);
    if (typeof value === 'string') {
      found.add(`${value}z`);
      found.add(`z${value}`);
      found.add(`${value}\n`);
    }
  };
  for (const leaf of leaves) {
    if (leaf.kind === 'in') leaf.values.forEach(add);
    else if ('value' in leaf) add(leaf.value);
  }
  return [...found];
}

function uniquePaths(leaves: readonly LeafNode[]): Path[] {
  const seen = new Map<string, Path>();
  for (const leaf of leaves) seen.set(JSON.stringify(leaf.path), leaf.path);
  return [...seen.values()];
}

function collectLeaves(node: FilterNode): LeafNode[] {
  if (isLeaf(node)) return [node];
  if (node.kind === 'not') return collectLeaves(node.child);
  if (node.kind === 'all') return [];
  return node.children.flatMap(collectLeaves);
}
