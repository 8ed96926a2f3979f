export { createPostgresDurability } from './create-postgres-durability.js';
export type { PostgresDurabilityOptions } from './postgres-durability.js';
export { PostgresDurability } from './postgres-durability.js';
export { POSTGRES_DURABILITY_SUPPORTS } from './postgres-durability-supports.js';
