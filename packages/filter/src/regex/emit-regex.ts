import {
  type CodePointRanges,
  complementRanges,
  rangesContain,
  singleCodePoint,
} from './code-point-ranges.js';
import { classChar, literalChar, type RegexDialect } from './regex-dialect.js';
import type { RegexNode } from './regex-node.js';

type Context = 'top' | 'alternative' | 'item' | 'repeated';

/**
 * Writes an AST as a pattern for a backtracking or POSIX engine: groups only where precedence
 * needs them (always non-capturing), every set as an explicit bracket expression.
 */
export function emitRegex(node: RegexNode, dialect: RegexDialect): string {
  return emit(node, dialect, 'top');
}

function emit(node: RegexNode, dialect: RegexDialect, context: Context): string {
  switch (node.kind) {
    case 'empty':
      return context === 'repeated' ? '(?:)' : '';
    case 'char':
      return literalChar(node.codePoint, dialect);
    case 'set':
      return emitSet(node.ranges, dialect);
    case 'start':
    case 'end': {
      const anchor = node.kind === 'start' ? dialect.start : dialect.end;
      // Engines reject a quantifier right after an anchor; a group makes it legal.
      return context === 'repeated' ? `(?:${anchor})` : anchor;
    }
    case 'concat': {
      const text = node.items.map((item) => emit(item, dialect, 'item')).join('');
      return context === 'repeated' ? `(?:${text})` : text;
    }
    case 'alternation': {
      const text = node.alternatives.map((alt) => emit(alt, dialect, 'alternative')).join('|');
      return context === 'item' || context === 'repeated' ? `(?:${text})` : text;
    }
    case 'repeat': {
      const text = emit(node.node, dialect, 'repeated') + quantifier(node.min, node.max);
      return context === 'repeated' ? `(?:${text})` : text;
    }
  }
}

function quantifier(min: number, max: number | null): string {
  if (max === null) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === 0 && max === 1) return '?';
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/**
 * A bracket expression for the set. The negated form is used only when it is shorter and the set
 * excludes newline: then newline is listed in the negation, which keeps the meaning identical in
 * engines where `[^...]` never matches newline (PostgreSQL's jsonpath like_regex) and in the rest.
 */
function emitSet(ranges: CodePointRanges, dialect: RegexDialect): string {
  const single = singleCodePoint(ranges);
  if (single >= 0) return literalChar(single, dialect);
  const complement = complementRanges(ranges);
  const negate = !rangesContain(ranges, 0x0a) && complement.length < ranges.length;
  const listed = negate ? complement : ranges;
  let body = '';
  for (let k = 0; k < listed.length; k += 2) {
    const lo = listed[k]!;
    const hi = listed[k + 1]!;
    body += classChar(lo, dialect);
    if (hi === lo + 1) body += classChar(hi, dialect);
    else if (hi > lo) body += `-${classChar(hi, dialect)}`;
  }
  return `[${negate ? '^' : ''}${body}]`;
}
