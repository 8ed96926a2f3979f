/**
 * A PostgreSQL ARE (for jsonpath `like_regex`) matching the text literally: ASCII alphanumerics
 * as they are, other printable ASCII behind a backslash (always a literal in AREs), and
 * everything else, controls and non-ASCII included, as `\uXXXX` / `\UXXXXXXXX` escapes so no
 * character can mean anything special in any regex mode.
 */
export function literalRegex(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
      out += char;
    } else if (cp >= 0x21 && cp <= 0x7e) {
      out += `\\${char}`;
    } else {
      const hex = cp.toString(16).toUpperCase();
      out += cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    }
  }
  return out;
}
