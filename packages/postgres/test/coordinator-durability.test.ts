// The coordinator kit over PostgreSQL for both stores: the postgres registry and the postgres
// durability slot, with the in-memory messaging slot between them. Each coordinator test gets
// a schema of its own (the coordinator's sweep walks every namespace of its registry).
import { testCoordinator } from '@muster/conformance';
import { createMemoryMessaging } from '@muster/core';
import { afterAll, describe, it } from 'vitest';
import { createPostgresDurability, createPostgresRegistry } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schemas: string[] = [];

function isolatedSlots() {
  const schema = uniqueSchema('coord_dq');
  schemas.push(schema);
  return {
    registry: createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 4 }),
    messaging: createMemoryMessaging(),
    durability: createPostgresDurability({ url: DATABASE_URL, schema, poolSize: 4 }),
  };
}

if (reachable) {
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
  await testCoordinator({ it, describe, name: 'postgres+durability', slots: isolatedSlots });
} else {
  describe.skip('postgres coordinator with durability (database unreachable)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
