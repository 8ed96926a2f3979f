export type { MigrateOptions, MigrateResult } from './migrate.js';
export { DEFAULT_SCHEMA, migrate } from './migrate.js';
export type { Migration } from './migrations.js';
export { MIGRATIONS } from './migrations.js';
