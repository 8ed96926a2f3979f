import {
  checkCursorTypes,
  compareSortTuples,
  decodeCursor,
  type EnumeratePage,
  type EnumerateQuery,
  encodeCursor,
  type IdentityRecord,
  MusterError,
  normalizeSortKeys,
  type SortKey,
  type SortValue,
  sortValuesOf,
} from '@muster/core';
import { compile, type FilterNode, type Predicate, toLuaProgram } from '@muster/filter';
import type { Redis } from 'ioredis';
import type { IndexConfig } from './index-config.js';
import type { NamespaceKeys } from './namespace-keys.js';
import { fetchCandidates, planCandidates } from './plan-candidates.js';
import type { RunScript } from './registry-scripts.js';
import {
  type MatchSource,
  type Reply,
  type SelectRequest,
  selectMatches,
} from './select-matches.js';

export interface ReadContext {
  readonly client: Redis;
  readonly run: RunScript;
  readonly keys: NamespaceKeys;
  readonly config: IndexConfig;
  readonly chunk: number;
  readonly maxCandidates: number;
}

interface CompiledFilter {
  readonly program: string;
  readonly refine: Predicate | undefined;
}

// Filters are frozen ASTs: compile each once.
const compiled = new WeakMap<FilterNode, CompiledFilter>();

function compileFilter(filter: FilterNode): CompiledFilter {
  let entry = compiled.get(filter);
  if (entry === undefined) {
    const { program, exact } = toLuaProgram(filter);
    entry = { program, refine: exact ? undefined : compile(filter) };
    compiled.set(filter, entry);
  }
  return entry;
}

/**
 * Chooses where the candidates of a filter come from: an equality or presence index walked in
 * identity order when one is smaller than the namespace; a bounded union of index ranges read
 * into Node (at most `maxCandidates`); else the members zset itself, walked in chunks.
 */
export async function matchSource(context: ReadContext, filter: FilterNode): Promise<MatchSource> {
  const { client, keys, config } = context;
  const [plan, members] = await Promise.all([
    planCandidates(client, keys, config.ready, filter),
    config.ready.size === 0 ? Promise.resolve(0) : client.zcard(keys.members),
  ]);
  if (plan !== undefined && plan.size < members) {
    const only = plan.fetches.length === 1 ? plan.fetches[0] : undefined;
    if (only?.kind === 'identities') return { kind: 'zset', key: only.key };
    // A candidate set is read whole: worth it only when it is small and selective (a broad one
    // costs more to read than walking the namespace until a page fills).
    if (plan.size <= context.maxCandidates && plan.size * 8 <= members)
      return { kind: 'list', identities: [...(await fetchCandidates(client, plan, 2_000))] };
  }
  return { kind: 'zset', key: keys.members };
}

function selectRequest(
  context: ReadContext,
  source: MatchSource,
  filter: FilterNode,
  now: number,
  reply: Reply,
  descending = false,
  after?: string,
): SelectRequest {
  const { program, refine } = compileFilter(filter);
  return {
    run: context.run,
    keys: context.keys,
    source,
    descending,
    after,
    program,
    refine,
    now,
    reply,
    chunk: context.chunk,
  };
}

/** One page of enumerate (see the README for the cost of each sort and of totalCount). */
export async function enumerateNamespace(
  context: ReadContext,
  query: EnumerateQuery,
  now: number,
): Promise<EnumeratePage> {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1)
    throw new MusterError('INVALID_ARGUMENT', 'limit must be a positive integer', {
      details: { field: 'limit' },
    });
  const keys = normalizeSortKeys(query.sort);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, keys.length);
  if (after !== undefined) checkCursorTypes(after, keys);
  const filter = query.filter;
  const source = await matchSource(context, filter);
  const first = keys[0]!;
  if ('field' in first.by && first.by.field === 'identity')
    return identityPage(context, query, source, first.direction === 'desc', after, now);
  return sortedPage(context, query, source, keys, after, now);
}

async function identityPage(
  context: ReadContext,
  query: EnumerateQuery,
  source: MatchSource,
  descending: boolean,
  after: readonly SortValue[] | undefined,
  now: number,
): Promise<EnumeratePage> {
  const { limit, filter } = query;
  const reply: Reply = query.includeMetadata === false ? 'headers' : 'records';
  const items: IdentityRecord[] = [];
  // One match past the page tells whether another page follows.
  const request = selectRequest(
    context,
    source,
    filter,
    now,
    reply,
    descending,
    after?.[0] as string | undefined,
  );
  for await (const records of selectMatches(request, () => limit + 1 - items.length)) {
    items.push(...records);
    if (items.length > limit) break;
  }
  const more = items.length > limit;
  if (more) items.length = limit;
  const page: EnumeratePage = more
    ? { items, exact: true, nextCursor: encodeCursor([items[limit - 1]!.identity]) }
    : { items, exact: true };
  if (!query.totalCount) return page;
  return { ...page, totalCount: await countMatches(context, filter, source, now) };
}

/**
 * Other orders: every match is read (in chunks) and sorted in Node, then the page is cut after
 * the cursor's position. Costs O(matches) per page.
 */
async function sortedPage(
  context: ReadContext,
  query: EnumerateQuery,
  source: MatchSource,
  keys: readonly SortKey[],
  after: readonly SortValue[] | undefined,
  now: number,
): Promise<EnumeratePage> {
  const byPath = keys.some((key) => 'path' in key.by);
  const reply: Reply = byPath || query.includeMetadata !== false ? 'records' : 'headers';
  const rows: { record: IdentityRecord; values: SortValue[] }[] = [];
  const request = selectRequest(context, source, query.filter, now, reply);
  for await (const records of selectMatches(request, () => context.chunk))
    for (const record of records) rows.push({ record, values: sortValuesOf(record, keys) });
  rows.sort((a, b) => compareSortTuples(a.values, b.values, keys));
  let start = 0;
  if (after !== undefined) {
    while (start < rows.length && compareSortTuples(rows[start]!.values, after, keys) <= 0) start++;
  }
  const slice = rows.slice(start, start + query.limit);
  const items = slice.map((row) =>
    query.includeMetadata === false ? { ...row.record, metadata: {} } : row.record,
  );
  const last = slice[slice.length - 1];
  const page: EnumeratePage =
    last !== undefined && start + slice.length < rows.length
      ? { items, exact: true, nextCursor: encodeCursor(last.values) }
      : { items, exact: true };
  return query.totalCount ? { ...page, totalCount: rows.length } : page;
}

/** Exact count of live matches: O(log n) for no filter, else a chunked walk of the candidates. */
export async function countMatches(
  context: ReadContext,
  filter: FilterNode,
  source: MatchSource,
  now: number,
): Promise<number> {
  if (filter.kind === 'all')
    return Number(
      await context.run('musterRegistryCount', [context.keys.members, context.keys.expiry], [now]),
    );
  let count = 0;
  const request = selectRequest(context, source, filter, now, 'identities');
  for await (const records of selectMatches(request, () => context.chunk)) count += records.length;
  return count;
}
