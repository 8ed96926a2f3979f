/**
 * The rules every metadata key and every filter path segment follows. Keeping keys free of `.`
 * and `$` is what lets one dotted path mean the same thing in SQL jsonpath, Lua and MongoDB.
 * Returns a description of the problem, or undefined when the key is fine.
 */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a key must not be empty';
  if (key.includes('.')) return `key ${JSON.stringify(key)} must not contain "."`;
  if (key.startsWith('$')) return `key ${JSON.stringify(key)} must not start with "$"`;
  return stringProblem(key, 'key');
}

/**
 * Strings must be well-formed Unicode without NUL: PostgreSQL's jsonb cannot store U+0000 or a
 * lone surrogate, and every backend must be able to hold every accepted value.
 */
export function stringProblem(value: string, what = 'string'): string | undefined {
  if (value.includes('\u0000')) return `${what} ${JSON.stringify(value)} must not contain U+0000`;
  if (!value.isWellFormed()) return `${what} ${JSON.stringify(value)} contains a lone surrogate`;
  return undefined;
}
