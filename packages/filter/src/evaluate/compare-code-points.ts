/**
 * Compares strings by Unicode code point, as PostgreSQL, MongoDB and byte-wise UTF-8 do.
 * JavaScript's `<` compares UTF-16 units, which sorts astral characters (surrogate pairs)
 * before U+E000..U+FFFF; only that case needs fixing, at the first differing unit.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return rank(x) - rank(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000..U+FFFF so unit order becomes code point order. */
function rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
