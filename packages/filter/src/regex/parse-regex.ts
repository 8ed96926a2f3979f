import { invalidFilter } from '../errors/filter-error.js';
import { isAsciiPunctuation } from './ascii-classes.js';
import {
  type CodePointRanges,
  complementRanges,
  DIGIT_RANGES,
  DOT_RANGES,
  foldAsciiCase,
  normalizeRanges,
  SPACE_RANGES,
  singleCodePoint,
  WORD_RANGES,
} from './code-point-ranges.js';
import { findTooManyTransitions, MAX_REGEX_TRANSITIONS } from './measure-regex-transitions.js';
import type { RegexNode } from './regex-node.js';

/** Largest repetition count; PostgreSQL's regex engine allows no more. */
export const MAX_REGEX_REPEAT = 255;

/**
 * Most states (instructions of the linear-time matcher, with repetitions expanded) one pattern may
 * compile to: bounds the matcher's memory and its work per input character. (The separate
 * MAX_REGEX_TRANSITIONS limit keeps PostgreSQL's regex compiler fast.)
 */
export const MAX_REGEX_STATES = 2000;

/** Deepest group nesting; keeps the recursive parser far from the stack limit. */
export const MAX_REGEX_NESTING = 100;

/**
 * Parses a pattern of the portable regex subset into a frozen AST: literals, `\` + ASCII
 * punctuation, `\n \t \r \f \v`, ASCII-only `\d \w \s` and complements, `.` (not newline),
 * classes, `^` and `$` (string ends only), groups, `|`, and greedy `* + ? {m} {m,} {m,n}`
 * (n <= 255). Flag `i` (ASCII letters only) is applied here: letters become two-letter sets.
 * Anything else throws INVALID_FILTER naming the construct and its offset in code points.
 */
export function parseRegex(pattern: string, flags: '' | 'i'): RegexNode {
  return new RegexParser(pattern, flags === 'i').parse();
}

interface Parsed {
  readonly node: RegexNode;
  /** Matcher states this node compiles to (see compile-regex-matcher.ts). */
  readonly size: number;
}

type ClassAtom =
  | { readonly kind: 'char'; readonly codePoint: number; readonly bareHyphen: boolean }
  | { readonly kind: 'set'; readonly ranges: CodePointRanges; readonly text: string };

const EMPTY: RegexNode = Object.freeze({ kind: 'empty' });
const START: RegexNode = Object.freeze({ kind: 'start' });
const END: RegexNode = Object.freeze({ kind: 'end' });

const UNSUPPORTED_ESCAPES: Readonly<Record<string, string>> = {
  b: 'word boundary',
  B: 'non-word-boundary',
  A: 'start-of-string anchor; use ^',
  z: 'end-of-string anchor; use $',
  Z: 'end-of-string anchor; use $',
  G: 'match-start anchor',
  m: 'word-start anchor',
  M: 'word-end anchor',
  y: 'word boundary',
  Y: 'non-word-boundary',
  k: 'named backreference',
  g: 'backreference',
  p: 'Unicode property',
  P: 'Unicode property',
  u: 'Unicode escape; write the character itself',
  U: 'Unicode escape; write the character itself',
  x: 'hex escape; write the character itself',
  c: 'control-character escape',
  a: 'bell escape',
  e: 'escape-character escape',
  h: 'horizontal space class',
  H: 'horizontal space class',
  V: 'vertical space class',
  R: 'newline sequence',
  N: 'non-newline class; use .',
  X: 'grapheme cluster',
  K: 'match reset',
  Q: 'quoting',
  E: 'quoting',
  C: 'single code unit',
  0: 'NUL or octal escape',
};

class RegexParser {
  private readonly chars: readonly string[];
  private pos = 0;
  /** Where composite nodes start, to point complexity errors at them. */
  private readonly offsets = new Map<RegexNode, number>();

  constructor(
    pattern: string,
    private readonly foldCase: boolean,
  ) {
    this.chars = [...pattern];
    for (let k = 0; k < this.chars.length; k++) {
      const cp = this.chars[k]!.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        throw this.fail(`lone surrogate U+${hex(cp)} in regex`, k);
      }
    }
  }

  parse(): RegexNode {
    const result = this.parseAlternation(0);
    if (this.pos < this.chars.length) {
      // parseAlternation stops only at the end or at a ")" it does not own.
      throw this.fail('unmatched ")" in regex', this.pos);
    }
    const culprit = findTooManyTransitions(result.node, MAX_REGEX_TRANSITIONS);
    if (culprit !== undefined) {
      throw this.fail(
        `regex pattern too complex: too many optional or repeated items in a row (over ${MAX_REGEX_TRANSITIONS} transitions)`,
        this.offsets.get(culprit) ?? 0,
      );
    }
    return result.node;
  }

  private parseAlternation(depth: number): Parsed {
    const start = this.pos;
    const alternatives = [this.parseConcat(depth)];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.parseConcat(depth));
    }
    if (alternatives.length === 1) return alternatives[0]!;
    // Each alternative but the last costs a split and a jump.
    const size = sum(alternatives) + 2 * (alternatives.length - 1);
    this.checkSize(size, start);
    const node: RegexNode = Object.freeze({
      kind: 'alternation',
      alternatives: Object.freeze(alternatives.map((a) => a.node)),
    });
    this.offsets.set(node, start);
    return { node, size };
  }

  private parseConcat(depth: number): Parsed {
    const start = this.pos;
    const items: RegexNode[] = [];
    let size = 0;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const item = this.parseQuantified(depth);
      size += item.size;
      // Flatten nested sequences (from groups) and drop empty items: same meaning, simpler tree.
      if (item.node.kind === 'concat') items.push(...item.node.items);
      else if (item.node.kind !== 'empty') items.push(item.node);
    }
    this.checkSize(size, start);
    if (items.length === 0) return { node: EMPTY, size };
    if (items.length === 1) return { node: items[0]!, size };
    const node: RegexNode = Object.freeze({ kind: 'concat', items: Object.freeze(items) });
    this.offsets.set(node, start);
    return { node, size };
  }

  private parseQuantified(depth: number): Parsed {
    const atomStart = this.pos;
    const c = this.peek()!;
    if (c === '*' || c === '+' || c === '?') {
      throw this.fail(`quantifier "${c}" has nothing to quantify in regex`, atomStart);
    }
    if (c === '{') {
      const quantifier = this.readBraceQuantifier(atomStart);
      if (quantifier !== undefined) {
        throw this.fail(
          `quantifier "${quantifier.text}" has nothing to quantify in regex`,
          atomStart,
        );
      }
      throw this.unescaped('{', atomStart);
    }
    if (c === '}') throw this.unescaped('}', atomStart);
    if (c === ']') throw this.unescaped(']', atomStart);
    if (c === '^' || c === '$') {
      this.pos++;
      const quantifier = this.peekQuantifier();
      if (quantifier !== undefined) {
        throw this.fail(
          `quantifier "${quantifier}" has nothing to quantify (an anchor cannot be repeated) in regex`,
          this.pos,
        );
      }
      return { node: c === '^' ? START : END, size: 1 };
    }

    const atom = this.parseAtom(depth);
    const quantStart = this.pos;
    const q = this.peek();
    let min: number;
    let max: number | null;
    let text: string;
    if (q === '*' || q === '+' || q === '?') {
      this.pos++;
      text = q;
      min = q === '+' ? 1 : 0;
      max = q === '?' ? 1 : null;
    } else if (q === '{') {
      const quantifier = this.readBraceQuantifier(quantStart);
      if (quantifier === undefined) throw this.unescaped('{', quantStart);
      this.pos = quantifier.end;
      ({ min, max, text } = quantifier);
    } else {
      return atom;
    }

    const after = this.peek();
    if (after === '?') {
      throw this.fail(`lazy quantifier "${text}?" is not supported in regex`, quantStart);
    }
    if (after === '+') {
      throw this.fail(`possessive quantifier "${text}+" is not supported in regex`, quantStart);
    }
    const stacked = this.peekQuantifier();
    if (stacked !== undefined) {
      throw this.fail(
        `quantifier "${stacked}" follows another quantifier (put the first in a group to repeat it) in regex`,
        this.pos,
      );
    }

    if (min === 1 && max === 1) return atom;
    const s = atom.size;
    const size =
      max === null
        ? min === 0
          ? s + 2 // split, body, jump back
          : min * s + 1 // body repeated, then a split back into the last copy
        : min * s + (max - min) * (s + 1); // each optional copy has its own split
    this.checkSize(size, quantStart);
    const node: RegexNode = Object.freeze({ kind: 'repeat', node: atom.node, min, max });
    this.offsets.set(node, quantStart);
    return { node, size };
  }

  /** The quantifier starting at the current position, as written, if there is one. */
  private peekQuantifier(): string | undefined {
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') return c;
    if (c === '{') return this.readBraceQuantifier(this.pos)?.text;
    return undefined;
  }

  /** Reads `{m}`, `{m,}` or `{m,n}` at `at`; undefined when the brace starts no quantifier. */
  private readBraceQuantifier(
    at: number,
  ): { min: number; max: number | null; text: string; end: number } | undefined {
    let k = at + 1;
    const digits = (): string => {
      let d = '';
      while (isDigit(this.chars[k])) d += this.chars[k++];
      return d;
    };
    const first = digits();
    let second: string | undefined;
    let comma = false;
    if (this.chars[k] === ',') {
      comma = true;
      k++;
      second = digits();
    }
    if (this.chars[k] !== '}') return undefined;
    k++;
    const text = this.chars.slice(at, k).join('');
    if (first === '') {
      if (comma && second !== '') {
        throw this.fail(`unsupported quantifier "${text}" in regex; write "{0,${second}}"`, at);
      }
      return undefined;
    }
    const min = Number(first);
    const max = !comma ? min : second === '' ? null : Number(second);
    for (const n of [min, max]) {
      if (n !== null && n > MAX_REGEX_REPEAT) {
        throw this.fail(
          `repetition count ${n} in "${text}" exceeds ${MAX_REGEX_REPEAT} in regex`,
          at,
        );
      }
    }
    if (max !== null && min > max) {
      throw this.fail(`invalid quantifier "${text}" (minimum exceeds maximum) in regex`, at);
    }
    return { min, max, text, end: k };
  }

  private parseAtom(depth: number): Parsed {
    const c = this.peek()!;
    switch (c) {
      case '(':
        return this.parseGroup(depth);
      case '[':
        return { node: this.setNode(this.parseClass()), size: 1 };
      case '.':
        this.pos++;
        return { node: this.setNode(DOT_RANGES), size: 1 };
      case '\\': {
        const atom = this.parseEscape(false);
        const node =
          atom.kind === 'set' ? this.setNode(atom.ranges) : this.charNode(atom.codePoint);
        return { node, size: 1 };
      }
      default:
        this.pos++;
        return { node: this.charNode(c.codePointAt(0)!), size: 1 };
    }
  }

  private parseGroup(depth: number): Parsed {
    const open = this.pos;
    this.pos++;
    if (this.peek() === '?') {
      if (this.chars[this.pos + 1] !== ':') throw this.unsupportedGroup(open);
      this.pos += 2;
    }
    if (depth + 1 > MAX_REGEX_NESTING) {
      throw this.fail(
        `regex pattern too complex: groups nested deeper than ${MAX_REGEX_NESTING}`,
        open,
      );
    }
    const inner = this.parseAlternation(depth + 1);
    if (this.peek() !== ')') throw this.fail('unclosed group "(" in regex', open);
    this.pos++;
    return inner;
  }

  private unsupportedGroup(open: number): Error {
    const next = this.chars[open + 2] ?? '';
    const third = this.chars[open + 3] ?? '';
    let text = `(?${next}`;
    let what: string;
    if (next === '=') what = 'lookahead';
    else if (next === '!') what = 'negative lookahead';
    else if (next === '<' && third === '=') [text, what] = [`${text}${third}`, 'lookbehind'];
    else if (next === '<' && third === '!') {
      [text, what] = [`${text}${third}`, 'negative lookbehind'];
    } else if (next === '<' || next === 'P' || next === "'") what = 'named group';
    else if (next === '>') what = 'atomic group';
    else if (next === '#') what = 'comment';
    else if (next === '|') what = 'branch reset group';
    else if (next === '(') what = 'conditional group';
    else if (/^[a-zA-Z^-]$/.test(next)) what = 'inline flags';
    else what = 'group syntax';
    return this.fail(`unsupported regex construct "${text}" (${what})`, open);
  }

  /** Parses `[...]` into a normalized, case-folded, possibly complemented set. */
  private parseClass(): CodePointRanges {
    const open = this.pos;
    this.pos++;
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    if (this.peek() === ']') {
      throw this.fail(`empty class "${negated ? '[^]' : '[]'}" in regex`, open);
    }
    const flat: number[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw this.fail('unclosed class "[" in regex', open);
      if (c === ']') {
        this.pos++;
        break;
      }
      const itemStart = this.pos;
      const after = this.chars[this.pos + 1];
      if (c === '-' && !first && after !== ']' && after !== undefined) {
        throw this.badHyphen(itemStart);
      }
      const atom = this.parseClassAtom();
      first = false;
      const rangeFollows =
        this.peek() === '-' &&
        this.chars[this.pos + 1] !== undefined &&
        this.chars[this.pos + 1] !== ']';
      if (atom.kind === 'set') {
        if (rangeFollows) throw this.badEndpoint(atom.text, itemStart);
        flat.push(...atom.ranges);
        continue;
      }
      if (!rangeFollows) {
        flat.push(atom.codePoint, atom.codePoint);
        continue;
      }
      if (atom.bareHyphen) throw this.badHyphen(this.pos);
      this.pos++;
      const highStart = this.pos;
      if (this.peek() === '-') throw this.badHyphen(highStart);
      const high = this.parseClassAtom();
      if (high.kind === 'set') throw this.badEndpoint(high.text, highStart);
      if (atom.codePoint > high.codePoint) {
        const text = this.chars.slice(itemStart, this.pos).join('');
        throw this.fail(`invalid range "${text}" (start is after end) in regex class`, itemStart);
      }
      flat.push(atom.codePoint, high.codePoint);
    }
    let ranges = normalizeRanges(flat);
    // Fold before complementing: [^a] under i excludes both a and A, as in every engine.
    if (this.foldCase) ranges = foldAsciiCase(ranges);
    if (negated) ranges = complementRanges(ranges);
    if (ranges.length === 0) {
      const text = this.chars.slice(open, this.pos).join('');
      throw this.fail(`class "${text}" matches no character in regex`, open);
    }
    return ranges;
  }

  private parseClassAtom(): ClassAtom {
    const start = this.pos;
    const c = this.peek()!;
    if (c === '\\') {
      const atom = this.parseEscape(true);
      if (atom.kind === 'set') {
        return {
          kind: 'set',
          ranges: atom.ranges,
          text: this.chars.slice(start, this.pos).join(''),
        };
      }
      return { kind: 'char', codePoint: atom.codePoint, bareHyphen: false };
    }
    if (c === '[') {
      const next = this.chars[this.pos + 1];
      if (next === ':' || next === '.' || next === '=') {
        const close = this.chars.indexOf(`${next}`, this.pos + 2);
        const end = close >= 0 && this.chars[close + 1] === ']' ? close + 2 : this.pos + 2;
        const text = this.chars.slice(this.pos, end).join('');
        const what =
          next === ':' ? 'POSIX class' : next === '.' ? 'collating element' : 'equivalence class';
        throw this.fail(
          `unsupported regex construct "${text}" (${what}; use explicit ranges such as A-Za-z)`,
          start,
        );
      }
      throw this.fail('unescaped "[" inside a class in regex; write "\\["', start);
    }
    this.pos++;
    return { kind: 'char', codePoint: c.codePointAt(0)!, bareHyphen: c === '-' };
  }

  /** Parses a backslash escape; `\d`-style escapes give sets. */
  private parseEscape(
    inClass: boolean,
  ):
    | { readonly kind: 'char'; readonly codePoint: number }
    | { readonly kind: 'set'; readonly ranges: CodePointRanges } {
    const start = this.pos;
    const c = this.chars[start + 1];
    if (c === undefined) throw this.fail('incomplete escape "\\" at the end of the regex', start);
    this.pos += 2;
    switch (c) {
      case 'n':
        return { kind: 'char', codePoint: 0x0a };
      case 't':
        return { kind: 'char', codePoint: 0x09 };
      case 'r':
        return { kind: 'char', codePoint: 0x0d };
      case 'f':
        return { kind: 'char', codePoint: 0x0c };
      case 'v':
        return { kind: 'char', codePoint: 0x0b };
      case 'd':
        return { kind: 'set', ranges: DIGIT_RANGES };
      case 'w':
        return { kind: 'set', ranges: WORD_RANGES };
      case 's':
        return { kind: 'set', ranges: SPACE_RANGES };
      case 'D':
        return { kind: 'set', ranges: complementRanges(DIGIT_RANGES) };
      case 'W':
        return { kind: 'set', ranges: complementRanges(WORD_RANGES) };
      case 'S':
        return { kind: 'set', ranges: complementRanges(SPACE_RANGES) };
    }
    const cp = c.codePointAt(0)!;
    if (isAsciiPunctuation(cp)) return { kind: 'char', codePoint: cp };
    let what: string;
    if (c === 'b' && inClass) what = 'backspace';
    else if (c >= '1' && c <= '9') what = 'backreference';
    else what = UNSUPPORTED_ESCAPES[c] ?? 'unknown escape';
    throw this.fail(`unsupported regex construct "\\${c}" (${what})`, start);
  }

  /** A literal character; under `i` an ASCII letter becomes the set of both cases. */
  private charNode(codePoint: number): RegexNode {
    if (this.foldCase && isAsciiLetter(codePoint)) {
      return this.setNode(normalizeRanges([codePoint, codePoint]));
    }
    return Object.freeze({ kind: 'char', codePoint });
  }

  private setNode(ranges: CodePointRanges): RegexNode {
    const folded = this.foldCase ? foldAsciiCase(ranges) : ranges;
    const single = singleCodePoint(folded);
    if (single >= 0) return Object.freeze({ kind: 'char', codePoint: single });
    return Object.freeze({ kind: 'set', ranges: folded });
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private checkSize(size: number, at: number): void {
    // One more state for the final match instruction.
    if (size + 1 > MAX_REGEX_STATES) {
      throw this.fail(
        `regex pattern too complex: it would compile to more than ${MAX_REGEX_STATES} states (reduce repetition counts)`,
        at,
      );
    }
  }

  private unescaped(c: string, at: number): Error {
    return this.fail(`unescaped "${c}" in regex; write "\\${c}" for a literal "${c}"`, at);
  }

  private badHyphen(at: number): Error {
    return this.fail(
      'unescaped "-" in regex class; write "\\-" unless it is the first or last character',
      at,
    );
  }

  private badEndpoint(text: string, at: number): Error {
    return this.fail(`class escape "${text}" cannot be a range endpoint in regex`, at);
  }

  private fail(message: string, offset: number): Error {
    return invalidFilter(`${message} at pattern offset ${offset}`);
  }
}

function sum(parts: readonly Parsed[]): number {
  let total = 0;
  for (const part of parts) total += part.size;
  return total;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}
