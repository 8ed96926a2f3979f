import type { Db } from 'mongodb';

/**
 * Which query behaviour the server has. `'mongodb'`: real MongoDB semantics, every filter the
 * compiler calls exact runs natively. `'mongo-java-server'`: the in-memory test server, whose
 * `$regex` also matches numbers, booleans, objects and nested arrays, whose `$in` reaches into
 * nested arrays and whose string order is UTF-16 (not code points): those leaves are refined in
 * Node instead (see test/SERVER-STATUS.md). `'auto'` detects it (buildInfo without gitVersion).
 */
export type ServerQuirks = 'auto' | 'mongodb' | 'mongo-java-server';

export async function detectServerQuirks(
  db: Db,
  setting: ServerQuirks,
): Promise<'mongodb' | 'mongo-java-server'> {
  if (setting !== 'auto') return setting;
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.gitVersion === 'string' ? 'mongodb' : 'mongo-java-server';
}
