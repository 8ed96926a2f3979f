#!/usr/bin/env node
// Applies @muster/postgres schema migrations: muster-postgres-migrate [--url URL] [--schema NAME]
// [--outbox-table NAME] (defaults: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test,
// schema "muster"; with --outbox-table, that transactional outbox's tables too).
import { parseArgs } from 'node:util';
import { migrate, migrateOutbox } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    schema: { type: 'string' },
    'outbox-table': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(
    'usage: muster-postgres-migrate [--url postgres://...] [--schema muster] [--outbox-table multicast_outbox]',
  );
  process.exit(0);
}
try {
  const connection = {
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.schema === undefined ? {} : { schema: values.schema }),
  };
  const result = await migrate(connection);
  const applied =
    result.applied.length === 0 ? 'nothing to apply' : `applied ${result.applied.join(', ')}`;
  console.log(`schema ${values.schema ?? 'muster'} at version ${result.version} (${applied})`);
  const table = values['outbox-table'];
  if (table !== undefined) {
    const outbox = await migrateOutbox({ ...connection, table });
    const done =
      outbox.applied.length === 0 ? 'nothing to apply' : `applied ${outbox.applied.join(', ')}`;
    console.log(`outbox ${table} at version ${outbox.version} (${done})`);
  }
} catch (error) {
  console.error(
    `migration failed: ${error.message}${error.cause ? ` (${error.cause.message})` : ''}`,
  );
  process.exit(1);
}
