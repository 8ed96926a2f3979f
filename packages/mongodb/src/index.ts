export { createMongoRegistry } from './create-mongo-registry.js';
export type { IdentityDocument } from './identity-document.js';
export { MongoRegistry } from './mongo-registry.js';
export type { MongoRegistryOptions } from './mongo-registry-options.js';
export { MONGO_REGISTRY_SUPPORTS } from './mongo-registry-supports.js';
export type { ServerQuirks } from './server-quirks.js';
