import type { IdentityRecord } from '@muster/core';
import { compareIdentities } from '@muster/core';
import type { Predicate } from '@muster/filter';
import type { NamespaceKeys } from './namespace-keys.js';
import type { RunScript } from './registry-scripts.js';
import { decodeRecord } from './stored-record.js';

/** What a read asks the select script to return per match. */
export type Reply = 'identities' | 'headers' | 'records';

const REPLY_CODE: Record<Reply, string> = { identities: '0', headers: '1', records: '2' };

/** Where candidates come from: a zset of identities walked in order, or a list of identities. */
export type MatchSource =
  | { readonly kind: 'zset'; readonly key: string }
  | { readonly kind: 'list'; readonly identities: readonly string[] };

export interface SelectRequest {
  readonly run: RunScript;
  readonly keys: NamespaceKeys;
  readonly source: MatchSource;
  readonly descending: boolean;
  /** Only identities after this one (in the walk's direction). */
  readonly after: string | undefined;
  /** The Lua program of the filter. */
  readonly program: string;
  /** When the program over-approximates (regexes): the exact predicate, run in Node. */
  readonly refine: Predicate | undefined;
  readonly now: number;
  readonly reply: Reply;
  /** Identities the script looks at per call. */
  readonly chunk: number;
}

/**
 * Yields matching records in identity order (ascending or descending), chunk by chunk: each
 * step is one bounded script call, so the caller stops as soon as it has enough and no call
 * holds Redis for long. `want` is how many more matches the caller needs at most (the script
 * stops early at that many).
 */
export async function* selectMatches(
  request: SelectRequest,
  want: () => number,
): AsyncGenerator<IdentityRecord[]> {
  const { run, keys, source, descending, program, refine, now, chunk } = request;
  // Regexes are refined here, which needs the metadata.
  const reply = refine === undefined ? request.reply : 'records';
  const withMetadata = reply === 'records';
  let bound = request.after === undefined ? (descending ? '+' : '-') : `(${request.after}`;
  let list: readonly string[] = [];
  let position = 0;
  if (source.kind === 'list') {
    const sorted = [...source.identities].sort(compareIdentities);
    if (descending) sorted.reverse();
    const after = request.after;
    list =
      after === undefined
        ? sorted
        : sorted.filter((id) => {
            const order = compareIdentities(id, after);
            return descending ? order < 0 : order > 0;
          });
  }
  for (;;) {
    const max = Math.max(1, want());
    let out: string[];
    if (source.kind === 'zset') {
      out = (await run(
        'musterRegistrySelect',
        [keys.records, source.key],
        [descending ? 'desc' : 'asc', bound, chunk, program, now, REPLY_CODE[reply], max],
      )) as string[];
    } else {
      if (position >= list.length) return;
      const ids = list.slice(position, position + chunk);
      out = (await run(
        'musterRegistrySelect',
        [keys.records, keys.members],
        ['ids', '-', chunk, program, now, REPLY_CODE[reply], max, ...ids],
      )) as string[];
      const last = out[0]!;
      position += last === '' ? ids.length : ids.indexOf(last) + 1;
    }
    const records: IdentityRecord[] = [];
    const step = reply === 'identities' ? 1 : 2;
    for (let i = 2; i < out.length; i += step) {
      const identity = out[i]!;
      const record =
        reply === 'identities'
          ? { identity, metadata: {}, registeredAt: 0, updatedAt: 0, expiresAt: null }
          : decodeRecord(identity, out[i + 1]!, withMetadata);
      if (refine === undefined || refine(record.metadata)) records.push(record);
    }
    if (records.length > 0) yield records;
    if (source.kind === 'zset') {
      if (out[1] === '1') return;
      bound = `(${out[0]}`;
    } else if (out[1] === '1' && position >= list.length) {
      return;
    }
  }
}
