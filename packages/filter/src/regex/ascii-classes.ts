export function isAsciiAlphanumeric(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** Printable ASCII that is neither alphanumeric nor space: `\` + it is a literal in every engine. */
export function isAsciiPunctuation(cp: number): boolean {
  return cp >= 0x21 && cp <= 0x7e && !isAsciiAlphanumeric(cp);
}
