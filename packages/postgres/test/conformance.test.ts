// The whole conformance kit on a real PostgreSQL: the registry suites (filter corpus and the
// seeded differential fuzz included) and the coordinator suites over this registry with the
// in-memory messaging and durability slots.
import { testCoordinator, testRegistrySlot } from '@muster/conformance';
import { createMemoryDurability, createMemoryMessaging } from '@muster/core';
import { afterAll, describe, it } from 'vitest';
import { createPostgresRegistry } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('kit');
const factory = () => createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 8 });

// The coordinator's sweep walks every namespace of its registry, so each coordinator test gets
// a schema of its own (the registry suites share one: they only touch their own namespaces).
const schemas = [schema];
function isolatedRegistry() {
  const own = uniqueSchema('coordinator');
  schemas.push(own);
  return createPostgresRegistry({ url: DATABASE_URL, schema: own, poolSize: 4 });
}

if (reachable) {
  afterAll(async () => {
    for (const name of schemas) await dropSchema(name);
  });
  await testRegistrySlot({ it, describe, name: 'postgres', factory, fuzzRuns: 2_000 });
  await testCoordinator({
    it,
    describe,
    name: 'postgres',
    slots: () => ({
      registry: isolatedRegistry(),
      messaging: createMemoryMessaging(),
      durability: createMemoryDurability(),
    }),
  });
} else {
  describe.skip('postgres conformance (database unreachable)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
