export type { SqlFilter, ToSqlOptions } from './to-sql.js';
export { toSql } from './to-sql.js';
