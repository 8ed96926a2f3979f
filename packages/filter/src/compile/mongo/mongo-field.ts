const PLAIN_DOTTED_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Where the metadata object lives in each document when the caller does not say. */
export const DEFAULT_MONGO_FIELD = 'metadata';

/**
 * Checks the document field holding the metadata object: a plain dotted identifier path, so it
 * can never be read as an operator (`$...`) nor smuggle in anything but field names. Every prefix
 * of it must hold an object (not an array) in every document; that is how metadata is stored.
 */
export function mongoField(field: string = DEFAULT_MONGO_FIELD): string {
  if (typeof field !== 'string' || !PLAIN_DOTTED_PATH.test(field)) {
    throw new TypeError(
      `toMongo: field must be a dotted path of plain identifiers ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(field)}`,
    );
  }
  return field;
}
