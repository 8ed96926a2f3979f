import type { Redis } from 'ioredis';

/**
 * Kills the server side of every connection with this CLIENT SETNAME (Redis 7.0 has no NAME
 * filter for CLIENT KILL); returns how many. The clients see their socket close, as on a
 * network failure, and reconnect.
 */
export async function killConnections(admin: Redis, name: string): Promise<number> {
  const list = String(await admin.call('CLIENT', 'LIST'));
  const ids = list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id);
  return ids.length;
}
