/**
 * The put script's per-record fields (its ARGV 4, one MessagePack array), in order: identity,
 * mode, quota ('' none), now, the record as stored (`encodeRecord`), expiresAt ('' none), SHA1
 * of the stored record the old index keys came from ('' none, '*' not checked), old entry
 * count o, new entry count n, then o entries to remove (the index key's position in KEYS, the
 * member) and n to add (position, score, member). Positions are numbers, everything else strings.
 */
export type PutFields = (string | number)[];

/** Fields before a record's index members. */
const FIXED = 9;

/** Appends one record's fields (the index members follow, pushed by the caller). */
export function pushPutFields(
  fields: PutFields,
  identity: string,
  mode: string,
  quota: string,
  now: string,
  stored: string,
  expires: string,
  sha: string,
  oldCount: number,
  newCount: number,
): void {
  fields.push(identity, mode, quota, now, stored, expires, sha, oldCount, newCount);
}

/** A `registered` event a put batch's stream entry stands for. */
export interface RegisteredField {
  readonly identity: string;
  readonly stored: string;
  readonly at: string;
}

/**
 * The registrations of a stream entry the put script wrote as `f` (its fields) and `s` (one
 * status letter per record): every record whose letter is 'n', in record order.
 */
export function registeredFields(fields: readonly unknown[], statuses: string): RegisteredField[] {
  const out: RegisteredField[] = [];
  let a = 0;
  for (let r = 0; r < statuses.length && a + FIXED <= fields.length; r++) {
    if (statuses[r] === 'n')
      out.push({
        identity: String(fields[a]),
        stored: String(fields[a + 4]),
        at: String(fields[a + 3]),
      });
    a += FIXED + 2 * Number(fields[a + 7]) + 3 * Number(fields[a + 8]);
  }
  return out;
}
