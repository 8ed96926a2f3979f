import type { LeafNode, Scalar } from '../ast/filter-node.js';
import { VALUE_TYPES } from '../ast/filter-node.js';
import { invalidFilter } from '../errors/filter-error.js';
import { keyProblem, stringProblem } from './key-rules.js';

/**
 * Re-checks what the parsers already guarantee, for every compiler whose output goes to a
 * database: an AST built by hand gets no other check, and a key starting with `$` or holding
 * `.`, a non-scalar or non-finite operand or a lone surrogate would change what a query means
 * (or make the server reject it) on one backend and not another.
 */
export function checkLeaf(leaf: LeafNode): void {
  if (!Array.isArray(leaf.path) || leaf.path.length === 0)
    fail('a path must have at least one key');
  for (const key of leaf.path) {
    const problem = typeof key === 'string' ? keyProblem(key) : 'a key must be a string';
    if (problem !== undefined) fail(problem);
  }
  switch (leaf.kind) {
    case 'eq':
    case 'contains':
      checkScalar(leaf.value);
      return;
    case 'in':
      if (!Array.isArray(leaf.values)) fail('in needs a list of values');
      for (const value of leaf.values) checkScalar(value);
      return;
    case 'range':
      if (typeof leaf.value !== 'string' && typeof leaf.value !== 'number') {
        fail('a comparison needs a string or number operand');
      }
      if (!['lt', 'lte', 'gt', 'gte'].includes(leaf.op))
        fail(`unknown comparison ${String(leaf.op)}`);
      checkScalar(leaf.value);
      return;
    case 'startswith':
    case 'endswith':
      if (typeof leaf.value !== 'string') fail(`${leaf.kind} needs a string operand`);
      checkScalar(leaf.value);
      return;
    case 'matches':
      if (typeof leaf.pattern !== 'string' || (leaf.flags !== '' && leaf.flags !== 'i')) {
        fail('matches needs a string pattern and flags "" or "i"');
      }
      return;
    case 'type':
      if (!VALUE_TYPES.includes(leaf.type)) fail(`unknown type ${String(leaf.type)}`);
      return;
    case 'exists':
      return;
    default:
      fail(`unknown filter node ${JSON.stringify((leaf as { kind?: unknown }).kind)}`);
  }
}

function checkScalar(value: Scalar): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`number ${value} is not finite`);
    return;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem !== undefined) fail(problem);
    return;
  }
  fail('operands must be strings, numbers, booleans or null');
}

function fail(message: string): never {
  throw invalidFilter(message);
}
