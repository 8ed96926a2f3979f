/**
 * Orders identities (and any strings) by Unicode code point, as PostgreSQL's `C` collation,
 * MongoDB and byte-wise UTF-8 do, so every registry adapter pages in the same order.
 * JavaScript's `<` compares UTF-16 units, which puts astral characters (surrogate pairs) before
 * U+E000..U+FFFF; only that case needs fixing, at the first differing unit.
 */
export function compareIdentities(a: string, b: string): number {
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

/** Moves surrogates above U+E000..U+FFFF so that unit order becomes code point order. */
function rank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
