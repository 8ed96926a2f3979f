import { type CodePointRanges, normalizeRanges } from './code-point-ranges.js';
import { parseRegex } from './parse-regex.js';
import type { RegexNode } from './regex-node.js';

const OP_CHAR = 0;
const OP_SET = 1;
const OP_SPLIT = 2;
const OP_JUMP = 3;
const OP_START = 4;
const OP_END = 5;
const OP_MATCH = 6;

/**
 * Compiles a pattern of the portable subset into a search predicate (true when the pattern matches
 * anywhere in the input). Common literal shapes use `includes`/`startsWith`/`endsWith`; everything
 * else runs on a Pike VM (Thompson NFA simulation), so one call costs O(input length x program
 * size) whatever the pattern: no backtracking, no ReDoS. Matching walks code points.
 */
export function compileRegexMatcher(pattern: string, flags: '' | 'i'): (input: string) => boolean {
  const ast = parseRegex(pattern, flags);
  return literalMatcher(ast) ?? pikeMatcher(ast);
}

/** `lit`, `^lit`, `lit$`, `^lit$` (and the empty pattern) as plain string operations. */
function literalMatcher(ast: RegexNode): ((input: string) => boolean) | undefined {
  const items = ast.kind === 'concat' ? ast.items : ast.kind === 'empty' ? [] : [ast];
  let from = 0;
  let to = items.length;
  const anchoredStart = items[0]?.kind === 'start';
  if (anchoredStart) from++;
  const anchoredEnd = to > from && items[to - 1]?.kind === 'end';
  if (anchoredEnd) to--;
  const codePoints: number[] = [];
  for (let k = from; k < to; k++) {
    const item = items[k]!;
    if (item.kind !== 'char') return undefined;
    codePoints.push(item.codePoint);
  }
  const literal = String.fromCodePoint(...codePoints);
  // A well-formed literal can only be found at code point boundaries, so UTF-16 search is exact.
  if (anchoredStart && anchoredEnd) return (input) => input === literal;
  if (literal === '') return () => true;
  if (anchoredStart) return (input) => input.startsWith(literal);
  if (anchoredEnd) return (input) => input.endsWith(literal);
  return (input) => input.includes(literal);
}

interface Program {
  readonly op: Uint8Array;
  /** CHAR: code point; SET: set index; SPLIT/JUMP: target. */
  readonly arg: Int32Array;
  /** SPLIT: second target. */
  readonly arg2: Int32Array;
  readonly sets: readonly CodePointRanges[];
}

/** A set as a 128-bit ASCII bitmap plus binary-searched ranges above ASCII. */
interface SetTable {
  readonly ascii: Uint32Array;
  readonly wide: Int32Array;
}

function setTable(ranges: CodePointRanges): SetTable {
  const ascii = new Uint32Array(4);
  const wide: number[] = [];
  for (let k = 0; k < ranges.length; k += 2) {
    const lo = ranges[k]!;
    const hi = ranges[k + 1]!;
    for (let cp = lo; cp <= Math.min(hi, 127); cp++) {
      ascii[cp >> 5] = (ascii[cp >> 5] ?? 0) | (1 << (cp & 31));
    }
    if (hi >= 128) wide.push(Math.max(lo, 128), hi);
  }
  return { ascii, wide: Int32Array.from(wide) };
}

function inSetTable(table: SetTable, cp: number): boolean {
  if (cp < 128) return (table.ascii[cp >> 5]! & (1 << (cp & 31))) !== 0;
  const ranges = table.wide;
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]!) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function pikeMatcher(ast: RegexNode): (input: string) => boolean {
  const program = compileProgram(ast);
  const { op, arg, arg2 } = program;
  const tables = program.sets.map(setTable);
  const size = op.length;

  // Preallocated per matcher: two thread lists, visit marks and the closure stack.
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const marks = new Uint32Array(size);
  const stack = new Int32Array(2 * size + 2);
  let generation = 0;
  let nextCount = 0;

  const newGeneration = (): void => {
    if (generation === 0xffffffff) {
      marks.fill(0);
      generation = 0;
    }
    generation++;
  };

  /** Adds the closure of `pc` to `next`; true as soon as it reaches MATCH. */
  const addThread = (pc: number, atStart: boolean, atEnd: boolean): boolean => {
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const at = stack[--sp]!;
      if (marks[at] === generation) continue;
      marks[at] = generation;
      switch (op[at]) {
        case OP_CHAR:
        case OP_SET:
          next[nextCount++] = at;
          break;
        case OP_SPLIT:
          stack[sp++] = arg2[at]!;
          stack[sp++] = arg[at]!;
          break;
        case OP_JUMP:
          stack[sp++] = arg[at]!;
          break;
        case OP_START:
          if (atStart) stack[sp++] = at + 1;
          break;
        case OP_END:
          if (atEnd) stack[sp++] = at + 1;
          break;
        default:
          return true;
      }
    }
    return false;
  };

  // Where a match can start away from position 0: nowhere (anchored), at a literal prefix found
  // with indexOf, or at a code point of the first set; idle stretches are skipped, not simulated.
  const start = startClosure(program);
  const anchored = start.anchored;
  const prefix = anchored ? '' : literalPrefix(ast);
  const first = start.first === undefined ? undefined : setTable(start.first);

  return (input: string): boolean => {
    const length = input.length;
    let i = 0;
    newGeneration();
    nextCount = 0;
    for (;;) {
      // `next` holds the threads waiting at position i; add a fresh search start at i.
      if (i === 0 || !anchored) {
        if (nextCount === 0 && i > 0) {
          let to = i;
          if (prefix !== '') {
            to = input.indexOf(prefix, i);
            if (to < 0) return false;
          } else if (first !== undefined) {
            while (to < length) {
              const cp = input.codePointAt(to)!;
              if (inSetTable(first, cp)) break;
              to += cp > 0xffff ? 2 : 1;
            }
          }
          if (to !== i) {
            i = to;
            newGeneration();
          }
        }
        if (addThread(0, i === 0, i === length)) return true;
      }
      if (nextCount === 0 && anchored) return false;
      if (i >= length) return false;

      let cp = input.charCodeAt(i);
      let step = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < length) {
        const low = input.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          step = 2;
        }
      }
      const atEnd = i + step === length;

      const swap = current;
      current = next;
      next = swap;
      const count = nextCount;
      nextCount = 0;
      newGeneration();
      for (let k = 0; k < count; k++) {
        const pc = current[k]!;
        const ok = op[pc] === OP_CHAR ? arg[pc] === cp : inSetTable(tables[arg[pc]!]!, cp);
        if (ok && addThread(pc + 1, false, atEnd)) return true;
      }
      i += step;
    }
  };
}

/**
 * What a search start away from position 0 can do. `anchored`: nothing, ever (every path needs
 * `^`). `first`: the code points it can consume first, unless it can match without consuming.
 */
function startClosure(program: Program): { anchored: boolean; first?: CodePointRanges } {
  const { op, arg, arg2, sets } = program;
  const visit = (atEnd: boolean): { consumes: number[]; matches: boolean } => {
    const seen = new Uint8Array(op.length);
    const stack = [0];
    const consumes: number[] = [];
    let matches = false;
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen[at]) continue;
      seen[at] = 1;
      switch (op[at]) {
        case OP_CHAR:
        case OP_SET:
          consumes.push(at);
          break;
        case OP_SPLIT:
          stack.push(arg[at]!, arg2[at]!);
          break;
        case OP_JUMP:
          stack.push(arg[at]!);
          break;
        case OP_START:
          break;
        case OP_END:
          if (atEnd) stack.push(at + 1);
          break;
        default:
          matches = true;
      }
    }
    return { consumes, matches };
  };
  const inside = visit(false);
  const atEnd = visit(true);
  const anchored = inside.consumes.length === 0 && !inside.matches && !atEnd.matches;
  if (anchored || inside.matches) return { anchored };
  const flat: number[] = [];
  for (const at of inside.consumes) {
    if (op[at] === OP_CHAR) flat.push(arg[at]!, arg[at]!);
    else flat.push(...sets[arg[at]!]!);
  }
  return { anchored, first: normalizeRanges(flat) };
}

/** The literal every match begins with (for skipping ahead with indexOf), or ''. */
function literalPrefix(ast: RegexNode): string {
  const items = ast.kind === 'concat' ? ast.items : [ast];
  const codePoints: number[] = [];
  for (const item of items) {
    if (item.kind !== 'char') break;
    codePoints.push(item.codePoint);
  }
  return String.fromCodePoint(...codePoints);
}

function compileProgram(ast: RegexNode): Program {
  const op: number[] = [];
  const arg: number[] = [];
  const arg2: number[] = [];
  const sets: CodePointRanges[] = [];
  const setIndex = new Map<CodePointRanges, number>();

  const emit = (code: number, a = 0, b = 0): number => {
    op.push(code);
    arg.push(a);
    arg2.push(b);
    return op.length - 1;
  };

  const walk = (node: RegexNode): void => {
    switch (node.kind) {
      case 'empty':
        return;
      case 'char':
        emit(OP_CHAR, node.codePoint);
        return;
      case 'set': {
        let index = setIndex.get(node.ranges);
        if (index === undefined) {
          index = sets.length;
          sets.push(node.ranges);
          setIndex.set(node.ranges, index);
        }
        emit(OP_SET, index);
        return;
      }
      case 'start':
        emit(OP_START);
        return;
      case 'end':
        emit(OP_END);
        return;
      case 'concat':
        for (const item of node.items) walk(item);
        return;
      case 'alternation': {
        const jumps: number[] = [];
        node.alternatives.forEach((alternative, k) => {
          if (k === node.alternatives.length - 1) {
            walk(alternative);
            return;
          }
          const split = emit(OP_SPLIT, op.length + 1);
          walk(alternative);
          jumps.push(emit(OP_JUMP));
          arg2[split] = op.length;
        });
        for (const jump of jumps) arg[jump] = op.length;
        return;
      }
      case 'repeat': {
        const { min, max } = node;
        if (max === null && min > 0) {
          // x{m,}: m-1 copies, then x+ (a split back into the last copy).
          for (let k = 0; k < min - 1; k++) walk(node.node);
          const body = op.length;
          walk(node.node);
          emit(OP_SPLIT, body, op.length + 1);
          return;
        }
        for (let k = 0; k < min; k++) walk(node.node);
        if (max === null) {
          const split = emit(OP_SPLIT, op.length + 1);
          walk(node.node);
          emit(OP_JUMP, split);
          arg2[split] = op.length;
          return;
        }
        // Optional copies: each split may skip straight past all the remaining ones.
        const splits: number[] = [];
        for (let k = min; k < max; k++) {
          splits.push(emit(OP_SPLIT, op.length + 1));
          walk(node.node);
        }
        for (const split of splits) arg2[split] = op.length;
        return;
      }
    }
  };

  walk(ast);
  emit(OP_MATCH);

  return {
    op: Uint8Array.from(op),
    arg: Int32Array.from(arg),
    arg2: Int32Array.from(arg2),
    sets,
  };
}
