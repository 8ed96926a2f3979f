/**
 * An identity pattern (`device-*`, `user-?-session-*`) as an anchored regex: `*` is any run of
 * characters (including none), `?` one character, everything else literal.
 */
export function globToRegex(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 's');
}
