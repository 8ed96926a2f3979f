#!/usr/bin/env node
// Applies @muster/postgres schema migrations: muster-postgres-migrate [--url URL] [--schema NAME]
// (defaults: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, schema "muster").
import { parseArgs } from 'node:util';
import { migrate } from '../dist/index.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, schema: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log('usage: muster-postgres-migrate [--url postgres://...] [--schema muster]');
  process.exit(0);
}
try {
  const result = await migrate({
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.schema === undefined ? {} : { schema: values.schema }),
  });
  const applied =
    result.applied.length === 0 ? 'nothing to apply' : `applied ${result.applied.join(', ')}`;
  console.log(`schema ${values.schema ?? 'muster'} at version ${result.version} (${applied})`);
} catch (error) {
  console.error(
    `migration failed: ${error.message}${error.cause ? ` (${error.cause.message})` : ''}`,
  );
  process.exit(1);
}
