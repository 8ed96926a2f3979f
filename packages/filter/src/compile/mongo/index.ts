export type { MongoQuery } from './mongo-query.js';
export type { MongoCompilation, ToMongoOptions } from './to-mongo.js';
export { toMongo } from './to-mongo.js';
