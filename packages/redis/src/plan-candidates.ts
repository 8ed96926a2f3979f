import { Buffer } from 'node:buffer';
import type { FilterNode, LeafNode, Path } from '@muster/filter';
import type { Redis } from 'ioredis';
import { typedValue } from './index-entries.js';
import type { NamespaceKeys } from './namespace-keys.js';

type Bound = string | Buffer;

/** One index read that yields candidate identities. */
export type CandidateFetch =
  /** A zset of identities (scores 0): already in identity order. */
  | { readonly kind: 'identities'; readonly key: string }
  /** A numeric zset range (members `identity` or `identity\0n`). */
  | { readonly kind: 'numbers'; readonly key: string; readonly min: string; readonly max: string }
  /** A lex range of `value\0identity` members. */
  | { readonly kind: 'strings'; readonly key: string; readonly min: Bound; readonly max: Bound };

/** The union of some fetches (none: nothing can match) and the candidates they hold at most. */
export interface CandidatePlan {
  readonly fetches: readonly CandidateFetch[];
  readonly size: number;
}

/**
 * Chooses index reads that yield a superset of the filter's matches, from the ready indexes:
 * `==` and `in` (without null) and `contains` of a number or boolean read equality zsets,
 * number and string ranges read the numeric and lex zsets, `startswith` a lex range, `exists`
 * the presence zset. `and` takes its smallest indexable child, `or` the union of its children
 * (all must be indexable). Sizes come from ZCARD / ZCOUNT / ZLEXCOUNT (O(log n) each, pipelined).
 * Undefined when no index helps: the caller walks the namespace.
 */
export async function planCandidates(
  client: Redis,
  keys: NamespaceKeys,
  ready: ReadonlySet<string>,
  filter: FilterNode,
): Promise<CandidatePlan | undefined> {
  if (ready.size === 0) return undefined;
  const plan = async (node: FilterNode): Promise<CandidatePlan | undefined> => {
    switch (node.kind) {
      case 'all':
      case 'not':
        return undefined;
      case 'and': {
        const children = await Promise.all(node.children.map(plan));
        let best: CandidatePlan | undefined;
        for (const child of children)
          if (child !== undefined && (best === undefined || child.size < best.size)) best = child;
        return best;
      }
      case 'or': {
        const children = await Promise.all(node.children.map(plan));
        if (children.some((child) => child === undefined)) return undefined;
        return union(children as CandidatePlan[]);
      }
      default: {
        if (!ready.has(JSON.stringify(node.path))) return undefined;
        const fetches = leafFetches(keys, node);
        if (fetches === undefined) return undefined;
        const sizes = await Promise.all(fetches.map((fetch) => estimate(client, fetch)));
        return { fetches, size: sizes.reduce((sum, size) => sum + size, 0) };
      }
    }
  };
  return plan(filter);
}

function union(plans: readonly CandidatePlan[]): CandidatePlan {
  return {
    fetches: plans.flatMap((plan) => plan.fetches),
    size: plans.reduce((sum, plan) => sum + plan.size, 0),
  };
}

function leafFetches(keys: NamespaceKeys, leaf: LeafNode): CandidateFetch[] | undefined {
  const path: Path = leaf.path;
  switch (leaf.kind) {
    case 'eq':
      return leaf.value === null ? undefined : [equal(keys, path, leaf.value)];
    case 'in':
      // `in [null]` matches missing paths, which no index lists.
      if (leaf.values.some((value) => value === null)) return undefined;
      return leaf.values.map((value) => equal(keys, path, value as string | number | boolean));
    case 'contains':
      // A string operand also matches substrings: not an equality.
      return typeof leaf.value === 'number' || typeof leaf.value === 'boolean'
        ? [equal(keys, path, leaf.value)]
        : undefined;
    case 'exists':
      return [{ kind: 'identities', key: keys.present(path) }];
    case 'range':
      return [
        typeof leaf.value === 'number'
          ? numberRange(keys.numbers(path), leaf.op, leaf.value)
          : stringRange(keys.strings(path), leaf.op, leaf.value),
      ];
    case 'startswith':
      return [
        leaf.value === ''
          ? { kind: 'strings', key: keys.strings(path), min: '-', max: '+' }
          : {
              kind: 'strings',
              key: keys.strings(path),
              min: `[${leaf.value}`,
              // 0xFF never occurs in UTF-8: above every member that starts with the prefix.
              max: Buffer.concat([Buffer.from(`(${leaf.value}`), Buffer.from([0xff])]),
            },
      ];
    default:
      return undefined;
  }
}

function equal(keys: NamespaceKeys, path: Path, value: string | number | boolean): CandidateFetch {
  return { kind: 'identities', key: keys.equal(path, typedValue(value)!) };
}

function numberRange(key: string, op: string, value: number): CandidateFetch {
  const x = String(value);
  switch (op) {
    case 'lt':
      return { kind: 'numbers', key, min: '-inf', max: `(${x}` };
    case 'lte':
      return { kind: 'numbers', key, min: '-inf', max: x };
    case 'gt':
      return { kind: 'numbers', key, min: `(${x}`, max: '+inf' };
    default:
      return { kind: 'numbers', key, min: x, max: '+inf' };
  }
}

/**
 * Members are `value\0identity` and values hold no U+0000, so `value < x` is `member < x`,
 * `value <= x` is `member < x\x01`, `value > x` is `member >= x\x01`, `value >= x` is
 * `member >= x\0`.
 */
function stringRange(key: string, op: string, x: string): CandidateFetch {
  switch (op) {
    case 'lt':
      return { kind: 'strings', key, min: '-', max: `(${x}` };
    case 'lte':
      return { kind: 'strings', key, min: '-', max: `(${x}\u0001` };
    case 'gt':
      return { kind: 'strings', key, min: `[${x}\u0001`, max: '+' };
    default:
      return { kind: 'strings', key, min: `[${x}\u0000`, max: '+' };
  }
}

async function estimate(client: Redis, fetch: CandidateFetch): Promise<number> {
  switch (fetch.kind) {
    case 'identities':
      return client.zcard(fetch.key);
    case 'numbers':
      return client.zcount(fetch.key, fetch.min, fetch.max);
    case 'strings':
      return client.zlexcount(fetch.key, fetch.min, fetch.max);
  }
}

/** Reads every candidate identity of a plan, in chunks of `chunk` (the plan is bounded). */
export async function fetchCandidates(
  client: Redis,
  plan: CandidatePlan,
  chunk: number,
): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const fetch of plan.fetches) {
    if (fetch.kind === 'numbers') {
      for (let offset = 0; ; offset += chunk) {
        const members = await client.zrangebyscore(
          fetch.key,
          fetch.min,
          fetch.max,
          'LIMIT',
          offset,
          chunk,
        );
        for (const member of members) {
          const cut = member.indexOf('\u0000');
          identities.add(cut === -1 ? member : member.slice(0, cut));
        }
        if (members.length < chunk) break;
      }
      continue;
    }
    let min: Bound = fetch.kind === 'strings' ? fetch.min : '-';
    const max: Bound = fetch.kind === 'strings' ? fetch.max : '+';
    for (;;) {
      const members = await client.zrangebylex(fetch.key, min, max, 'LIMIT', 0, chunk);
      for (const member of members)
        identities.add(
          fetch.kind === 'strings' ? member.slice(member.indexOf('\u0000') + 1) : member,
        );
      if (members.length < chunk) break;
      min = `(${members[members.length - 1]}`;
    }
  }
  return identities;
}
