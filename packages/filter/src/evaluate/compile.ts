import type { FilterNode } from '../ast/filter-node.js';
import { compileClosures } from './compile-closures.js';
import { generatePredicate } from './generate-predicate.js';
import type { Predicate } from './predicate.js';

/**
 * Compiles an AST into `(metadata) => boolean`, the reference semantics every backend is tested
 * against. Generated code is the fast path; where a runtime forbids code generation the closure
 * compiler gives the same answers.
 */
export function compile(node: FilterNode): Predicate {
  try {
    return generatePredicate(node);
  } catch (error) {
    if (error instanceof EvalError) return compileClosures(node);
    throw error;
  }
}
