// The durability kit on a real PostgreSQL: one schema for the file (every suite uses its own
// namespaces), retention as each suite asks.
import { testDurabilitySlot } from '@muster/conformance';
import { afterAll, describe, it } from 'vitest';
import { createPostgresDurability } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('durability');

if (reachable) {
  afterAll(() => dropSchema(schema));
  await testDurabilitySlot({
    it,
    describe,
    name: 'postgres',
    factory: ({ retention }) =>
      createPostgresDurability({
        url: DATABASE_URL,
        schema,
        poolSize: 4,
        ...(retention === undefined ? {} : { retention }),
      }),
  });
} else {
  describe.skip('postgres durability conformance (database unreachable)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
