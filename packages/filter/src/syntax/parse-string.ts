import type { FilterNode } from '../ast/filter-node.js';
import { nodes } from '../ast/nodes.js';
import { invalidFilter } from '../errors/filter-error.js';
import { parseRegex } from '../regex/parse-regex.js';
import { keyProblem, stringProblem } from '../validate/key-rules.js';
import {
  parse as generatedParse,
  SyntaxError as PeggySyntaxError,
} from './filter-parser.generated.js';

interface PeggyLocation {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
}

const PARSER_OPTIONS = Object.freeze({
  build: nodes,
  checkKey: keyProblem,
  checkString: stringProblem,
  checkRegex: (pattern: string, flags: '' | 'i') => parseRegex(pattern, flags),
});

/** Parses the string syntax into an AST (no limit checks: `parse` applies those). */
export function parseString(input: string): FilterNode {
  try {
    return generatedParse(input, PARSER_OPTIONS) as FilterNode;
  } catch (error) {
    if (error instanceof PeggySyntaxError) {
      const { start } = (error as unknown as { location: PeggyLocation }).location;
      const excerpt = caretExcerpt(input, start.line, start.column);
      throwAt(error.message, start, excerpt);
    }
    // Recursive descent: absurd nesting of parentheses exhausts the stack before any limit applies.
    if (error instanceof RangeError)
      throw invalidFilter('filter is nested too deeply to parse', { limit: 'maxDepth' });
    throw error;
  }
}

function throwAt(
  message: string,
  start: { offset: number; line: number; column: number },
  excerpt: string,
): never {
  const location = { offset: start.offset, line: start.line, column: start.column };
  throw invalidFilter(
    `invalid filter at line ${start.line}, column ${start.column}: ${lowerFirst(message)}\n${excerpt}`,
    { location, excerpt },
  );
}

/** The offending line and a caret under the column, as compilers print them. */
function caretExcerpt(input: string, line: number, column: number): string {
  const text = input.split(/\r\n|\r|\n/)[line - 1] ?? '';
  // Long lines are shown as a window around the column so the caret stays visible.
  const from = Math.max(0, column - 61);
  const prefix = from > 0 ? '...' : '';
  const shown = prefix + text.slice(from, from + 120) + (text.length > from + 120 ? '...' : '');
  return `  ${shown}\n  ${' '.repeat(prefix.length + column - 1 - from)}^`;
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
