const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Validates the caller's column expression (`metadata` or `alias.metadata`) and quotes each part.
 * It is code, not user data, so anything beyond plain identifiers is refused instead of escaped.
 * Quoting makes the name case-sensitive: pass it as it is stored (lower case when unquoted in DDL).
 */
export function quoteColumn(column: string): string {
  const parts = column.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new TypeError(
      `toSql: column ${JSON.stringify(column)} must be an identifier or alias.identifier ([A-Za-z_][A-Za-z0-9_]*)`,
    );
  }
  return parts.map((part) => `"${part}"`).join('.');
}
