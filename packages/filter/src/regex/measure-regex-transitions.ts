import type { RegexNode } from './regex-node.js';

/**
 * Most transitions the pattern's epsilon-free NFA may have (see findTooManyTransitions).
 * PostgreSQL's regex compiler is superlinear in this number: the worst patterns we found at the
 * limit compile in under 100 ms there; ten times over they take seconds or fail with "regular
 * expression is too complex". test/regex/postgres-differential.test.ts checks such patterns.
 */
export const MAX_REGEX_TRANSITIONS = 25_000;

interface Measure {
  /** Weighted count of the positions that can start a match of the node. */
  readonly first: number;
  /** Count of the positions that can end one. */
  readonly last: number;
  /** Transitions between the node's own positions. */
  readonly transitions: number;
  readonly nullable: boolean;
}

const NOTHING: Measure = Object.freeze({ first: 0, last: 0, transitions: 0, nullable: true });

/**
 * Estimates the transitions of the position (Glushkov) automaton: what an engine that removes
 * empty transitions, as PostgreSQL's does, ends up with. Long chains of optional items are
 * quadratic in it (`(a?){255}`), loops and bounded repetitions of one atom are linear. Each set
 * counts once per "color" (a maximal run of code points that no set or literal of the pattern
 * splits), because PostgreSQL needs one arc per color. Repetitions are measured in the nested
 * form PostgreSQL builds (`x{0,3}` as `(x(x(x)?)?)?`).
 *
 * Returns the innermost node at which the count first exceeds `limit`, or undefined.
 */
export function findTooManyTransitions(ast: RegexNode, limit: number): RegexNode | undefined {
  const cuts = colorBoundaries(ast);
  const weight = (ranges: readonly number[]): number => {
    let colors = 0;
    for (let k = 0; k < ranges.length; k += 2) {
      colors += countBetween(cuts, ranges[k]!, ranges[k + 1]! + 1) + 1;
    }
    return colors;
  };
  let culprit: RegexNode | undefined;
  const visit = (node: RegexNode): Measure => {
    const measure = measureNode(node, visit, weight);
    if (culprit === undefined && measure.transitions > limit) culprit = node;
    return measure;
  };
  visit(ast);
  return culprit;
}

function measureNode(
  node: RegexNode,
  visit: (node: RegexNode) => Measure,
  weight: (ranges: readonly number[]) => number,
): Measure {
  switch (node.kind) {
    case 'empty':
    case 'start':
    case 'end':
      return NOTHING;
    case 'char':
      return { first: 1, last: 1, transitions: 0, nullable: false };
    case 'set':
      return { first: weight(node.ranges), last: 1, transitions: 0, nullable: false };
    case 'concat': {
      let result = NOTHING;
      for (const item of node.items) result = sequence(result, visit(item));
      return result;
    }
    case 'alternation': {
      let first = 0;
      let last = 0;
      let transitions = 0;
      let nullable = false;
      for (const alternative of node.alternatives) {
        const m = visit(alternative);
        first += m.first;
        last += m.last;
        transitions += m.transitions;
        nullable ||= m.nullable;
      }
      return { first, last, transitions, nullable };
    }
    case 'repeat': {
      const body = visit(node.node);
      let result: Measure = NOTHING;
      if (node.max === null) {
        result = {
          ...body,
          transitions: body.transitions + body.last * body.first,
          nullable: true,
        };
      } else {
        for (let k = node.min; k < node.max; k++) {
          result = { ...sequence(body, result), nullable: true };
        }
      }
      for (let k = 0; k < node.min; k++) result = sequence(body, result);
      return result;
    }
  }
}

function sequence(a: Measure, b: Measure): Measure {
  return {
    first: a.first + (a.nullable ? b.first : 0),
    last: b.last + (b.nullable ? a.last : 0),
    transitions: a.transitions + b.transitions + a.last * b.first,
    nullable: a.nullable && b.nullable,
  };
}

/** Sorted starts of the color runs: every range start and every range end + 1. */
function colorBoundaries(ast: RegexNode): number[] {
  const cuts = new Set<number>();
  const collect = (node: RegexNode): void => {
    switch (node.kind) {
      case 'char':
        cuts.add(node.codePoint);
        cuts.add(node.codePoint + 1);
        return;
      case 'set':
        for (let k = 0; k < node.ranges.length; k += 2) {
          cuts.add(node.ranges[k]!);
          cuts.add(node.ranges[k + 1]! + 1);
        }
        return;
      case 'concat':
        node.items.forEach(collect);
        return;
      case 'alternation':
        node.alternatives.forEach(collect);
        return;
      case 'repeat':
        collect(node.node);
        return;
      default:
        return;
    }
  };
  collect(ast);
  return [...cuts].sort((x, y) => x - y);
}

/** How many sorted values lie strictly between lo and hi. */
function countBetween(sorted: readonly number[], lo: number, hi: number): number {
  return Math.max(0, lowerBound(sorted, hi) - lowerBound(sorted, lo + 1));
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
