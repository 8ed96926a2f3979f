// The index planner against the reference evaluator: the kit's filter corpus and differential
// fuzz again, on a registry that indexes every path its documents hold (indexes created while
// the writes run, so backfill and the index-config versioning are exercised too), and checks
// that index-served filters really are served by an index.
import {
  makeRecord,
  query,
  registryFilterCorpusSuite,
  registryFilterFuzzSuite,
  registryPaginationSuite,
  registrySortSuite,
  uniqueNamespace,
  walkEnumerate,
} from '@muster/conformance';
import type { Metadata, RegistrySlot } from '@muster/core';
import { compile, type Path, parse } from '@muster/filter';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_REGISTRY_SUPPORTS, RedisRegistry } from '../src/index.js';
import {
  dropPrefix,
  REDIS_URL,
  redisAvailable,
  uniquePrefix,
} from './support/redis-test-server.js';

const keyPrefix = uniquePrefix('indexed');

/** Every object path in the metadata (arrays are leaves, as filter paths never enter them). */
function pathsOf(metadata: Metadata, prefix: Path = []): Path[] {
  const paths: Path[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    const path = [...prefix, key];
    paths.push(path);
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && path.length < 4)
      paths.push(...pathsOf(value as Metadata, path));
  }
  return paths;
}

/** A registry that calls ensureIndexes for each new path it sees before writing a record. */
function indexingEverything(registry: RedisRegistry): RegistrySlot {
  const seen = new Map<string, Set<string>>();
  const put: RegistrySlot['put'] = async (namespace, record, options, now) => {
    const known = seen.get(namespace) ?? new Set<string>();
    seen.set(namespace, known);
    const fresh = pathsOf(record.metadata).filter((path) => !known.has(JSON.stringify(path)));
    for (const path of fresh) known.add(JSON.stringify(path));
    if (fresh.length > 0) await registry.ensureIndexes(namespace, fresh);
    return registry.put(namespace, record, options, now);
  };
  return new Proxy(registry, {
    get(target, property) {
      if (property === 'put') return put;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

if (await redisAvailable()) {
  afterAll(() => dropPrefix(keyPrefix));
  let slots = 0;
  const open = () => new RedisRegistry({ url: REDIS_URL, keyPrefix: `${keyPrefix}-${++slots}` });
  const context = {
    test: it,
    factory: () => indexingEverything(open()),
    supports: REDIS_REGISTRY_SUPPORTS,
  };

  describe('redis with every path indexed', () => {
    registryFilterCorpusSuite(context);
    registryFilterFuzzSuite({ ...context, fuzzRuns: 2_000 });
    registryPaginationSuite(context);
    registrySortSuite(context);

    it('explain: index-served filters use an index, the others walk the namespace', async () => {
      const registry = open();
      try {
        const namespace = uniqueNamespace('explain');
        const now = Date.now();
        await registry.ensureIndexes(namespace, [['kind'], ['level'], ['name'], ['tags']]);
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            registry.put(
              namespace,
              makeRecord(`id-${i}`, {
                kind: i % 10 === 0 ? 'rare' : 'common',
                level: i,
                name: `n${i}`,
                tags: [i % 2 === 0 ? 'even' : 'odd', i],
              }),
              { mode: 'create' },
              now,
            ),
          ),
        );
        const plan = (text: string) => registry.explain(namespace, parse(text));
        expect(await plan('kind == "rare"')).toMatchObject({ walks: 'index' });
        expect(await plan('kind == "rare" and name endswith "0"')).toMatchObject({
          walks: 'index',
        });
        expect(await plan('tags contains "even" and kind == "rare"')).toMatchObject({
          walks: 'index',
        });
        expect(await plan('kind exists and level < 5')).toEqual({
          walks: 'candidates',
          candidates: 5,
        });
        expect(await plan('name startswith "n19"')).toEqual({
          walks: 'candidates',
          candidates: 11,
        });
        // Broad (111 of 200): walking the namespace until a page fills is cheaper.
        expect(await plan('name startswith "n1"')).toMatchObject({ walks: 'namespace' });
        expect(await plan('kind in ["rare", "none"] or level >= 195')).toEqual({
          walks: 'candidates',
          candidates: 25,
        });
        expect(await plan('name endswith "7"')).toMatchObject({ walks: 'namespace' });
        expect(await plan('not kind == "rare"')).toMatchObject({ walks: 'namespace' });
        expect(await plan('unindexed == 1')).toMatchObject({ walks: 'namespace' });
        // And the answers are right, however they were found.
        for (const text of [
          'kind == "rare" and name endswith "0"',
          'kind exists and level < 5',
          'name startswith "n1" and level > 150',
          'kind in ["rare", "none"] or level >= 195',
          'name matches "^n1[0-9]$"',
        ]) {
          const filter = parse(text);
          const walk = await walkEnumerate(
            registry,
            namespace,
            query({ filter, limit: 7, includeMetadata: true }),
            now,
          );
          const matches = compile(filter);
          const expected = walk.records.length;
          let count = 0;
          for (let i = 0; i < 200; i++) {
            const record = await registry.get(namespace, `id-${i}`, now);
            if (record !== undefined && matches(record.metadata)) count++;
          }
          expect(expected, text).toBe(count);
          expect(
            walk.records.every((record) => matches(record.metadata)),
            text,
          ).toBe(true);
        }
      } finally {
        await registry.close();
      }
    });
  });
} else {
  describe.skip('redis indexes (no Redis reachable)', () => {
    it('needs a Redis server', () => undefined);
  });
}
