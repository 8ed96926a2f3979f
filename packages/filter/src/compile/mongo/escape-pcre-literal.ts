/**
 * A PCRE pattern that matches `text` literally. ASCII letters and digits stay as they are, ASCII
 * punctuation gets a backslash (in PCRE a backslash before a non-alphanumeric ASCII character is
 * always that character), and everything else (space, controls, newline, non-ASCII) becomes
 * `\x{HEX}`, a code point in PCRE's UTF mode. So no character of `text` is ever syntax, not even
 * in extended (`x`) mode, and the pattern is plain ASCII.
 */
export function escapePcreLiteral(text: string): string {
  let pattern = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (isAsciiAlphanumeric(cp)) pattern += char;
    else if (cp >= 0x21 && cp <= 0x7e) pattern += `\\${char}`;
    else pattern += `\\x{${cp.toString(16).toUpperCase()}}`;
  }
  return pattern;
}

function isAsciiAlphanumeric(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}
