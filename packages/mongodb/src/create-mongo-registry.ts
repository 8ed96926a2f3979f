import type { RegistrySlot } from '@muster/core';
import { MongoRegistry } from './mongo-registry.js';
import type { MongoRegistryOptions } from './mongo-registry-options.js';

/** A registry slot on MongoDB: `createMongoRegistry({ url: process.env.MONGODB_URL })`. */
export function createMongoRegistry(options: MongoRegistryOptions = {}): RegistrySlot {
  return new MongoRegistry(options);
}
