import { MongoClient } from 'mongodb';

/** The server the tests use: MONGODB_URL, or the test server that global-setup starts. */
export const MONGODB_URL = process.env.MONGODB_URL || 'mongodb://127.0.0.1:27017';

/**
 * Whether the server answers a ping. Unreachable under CI=true is an error (never a silent
 * skip); locally the caller skips and this prints why.
 */
export async function mongoAvailable(url: string = MONGODB_URL): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`MongoDB at ${url} is unreachable (CI=true: not skipping)`, { cause: error });
    console.warn(`skipping: MongoDB at ${url} is unreachable (${String(error)})`);
    return false;
  } finally {
    await client.close();
  }
}

/** Collection prefix unique to this test file run, so parallel files and reruns never collide. */
export function uniquePrefix(label: string): string {
  return `t_${label}_${process.pid}_${Date.now().toString(36)}_`;
}

/** Drops every collection whose name starts with `prefix`. */
export async function dropPrefix(prefix: string, url: string = MONGODB_URL): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    const db = client.db(TEST_DATABASE);
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
      if (name.startsWith(prefix)) await db.dropCollection(name);
  } finally {
    await client.close();
  }
}

export const TEST_DATABASE = 'muster_test';
