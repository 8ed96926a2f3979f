/**
 * A set of Unicode scalar values as sorted, disjoint, non-adjacent inclusive ranges, flattened:
 * `[lo0, hi0, lo1, hi1, ...]`. Never contains the surrogates U+D800..U+DFFF: well-formed strings
 * never hold them, and PostgreSQL and PCRE reject surrogate escapes.
 */
export type CodePointRanges = readonly number[];

export const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_MIN = 0xd800;
const SURROGATE_MAX = 0xdfff;

/** Normalizes arbitrary (possibly overlapping, unsorted) flattened ranges. */
export function normalizeRanges(flat: readonly number[]): CodePointRanges {
  const pairs: [number, number][] = [];
  for (let k = 0; k + 1 < flat.length; k += 2) {
    const lo = flat[k]!;
    const hi = flat[k + 1]!;
    // Cut the surrogate block out of every range.
    if (lo < SURROGATE_MIN) pairs.push([lo, Math.min(hi, SURROGATE_MIN - 1)]);
    if (hi > SURROGATE_MAX) pairs.push([Math.max(lo, SURROGATE_MAX + 1), hi]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    if (lo > hi) continue;
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) {
      if (hi > out[last]!) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return Object.freeze(out);
}

export function unionRanges(a: CodePointRanges, b: CodePointRanges): CodePointRanges {
  return normalizeRanges([...a, ...b]);
}

/** Every scalar value not in the set. */
export function complementRanges(set: CodePointRanges): CodePointRanges {
  const out: number[] = [];
  let next = 0;
  for (let k = 0; k < set.length; k += 2) {
    if (set[k]! > next) out.push(next, set[k]! - 1);
    next = set[k + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return normalizeRanges(out);
}

/** Adds the other ASCII case of every ASCII letter in the set; nothing else is case-folded. */
export function foldAsciiCase(set: CodePointRanges): CodePointRanges {
  const extra: number[] = [];
  for (let k = 0; k < set.length; k += 2) {
    const lo = set[k]!;
    const hi = set[k + 1]!;
    const upLo = Math.max(lo, 0x41);
    const upHi = Math.min(hi, 0x5a);
    if (upLo <= upHi) extra.push(upLo + 32, upHi + 32);
    const downLo = Math.max(lo, 0x61);
    const downHi = Math.min(hi, 0x7a);
    if (downLo <= downHi) extra.push(downLo - 32, downHi - 32);
  }
  return extra.length === 0 ? set : unionRanges(set, extra);
}

export function rangesContain(set: CodePointRanges, codePoint: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (codePoint < set[2 * mid]!) hi = mid - 1;
    else if (codePoint > set[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The one code point in the set, or -1 when it has none or several. */
export function singleCodePoint(set: CodePointRanges): number {
  return set.length === 2 && set[0] === set[1] ? set[0]! : -1;
}

export const DIGIT_RANGES: CodePointRanges = normalizeRanges([0x30, 0x39]);
export const WORD_RANGES: CodePointRanges = normalizeRanges([
  0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a,
]);
/** `\s` is ASCII only on purpose: tab, newline, vertical tab, form feed, carriage return, space. */
export const SPACE_RANGES: CodePointRanges = normalizeRanges([0x09, 0x0d, 0x20, 0x20]);
/** `.`: every scalar value except newline. */
export const DOT_RANGES: CodePointRanges = complementRanges(normalizeRanges([0x0a, 0x0a]));
