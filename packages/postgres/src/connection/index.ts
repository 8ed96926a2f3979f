export type { PoolHandle } from './create-pool.js';
export { createPool } from './create-pool.js';
export { driverError, isConnectionLoss } from './driver-error.js';
export { OnceReady } from './once-ready.js';
export type { PostgresConnectionOptions } from './postgres-connection-options.js';
export { DEFAULT_DATABASE_URL } from './postgres-connection-options.js';
export { quoteIdentifier } from './quote-identifier.js';
export { retryAfterConnectionLoss } from './retry-after-connection-loss.js';
export { statementPrefix } from './statement-prefix.js';
