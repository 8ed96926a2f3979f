import type { RegistryChange, Unsubscribe } from '@muster/core';
import type { Redis } from 'ioredis';
import { decodeRecord } from './stored-record.js';

type StreamEntry = [id: string, fields: string[]];
type XReadReply = [key: string, entries: StreamEntry[]][] | null;

const CHANGE_TYPES = new Set(['registered', 'updated', 'unregistered', 'expired']);

/**
 * Follows a namespace's event stream (written by the write scripts with XADD, in the same
 * atomic step as the write) on a connection of its own with XREAD BLOCK. It starts at the
 * stream's current end, so `watch` resolves once live; after a dropped connection it resumes
 * from the last id it delivered, losing nothing the stream still holds.
 */
export async function followChanges(
  client: Redis,
  reader: Redis,
  streamKey: string,
  namespace: string,
  blockMs: number,
  listener: (change: RegistryChange) => void,
): Promise<Unsubscribe> {
  const latest = (await client.xrevrange(streamKey, '+', '-', 'COUNT', 1)) as StreamEntry[];
  let lastId = latest[0]?.[0] ?? '0-0';
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      let reply: XReadReply;
      try {
        reply = (await reader.xread(
          'COUNT',
          500,
          'BLOCK',
          blockMs,
          'STREAMS',
          streamKey,
          lastId,
        )) as XReadReply;
      } catch {
        if (stopped) return;
        // Reconnecting: ioredis retries the connection; try again shortly from the same id.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          if (stopped) return;
          const change = decodeChange(namespace, fields);
          if (change === undefined) continue;
          try {
            listener(change);
          } catch {
            // A throwing listener must not stop the others' events.
          }
        }
      }
    }
  })();
  return async () => {
    if (stopped) return;
    stopped = true;
    reader.disconnect();
    await loop;
  };
}

function decodeChange(namespace: string, fields: readonly string[]): RegistryChange | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
  const type = values.get('t');
  const identity = values.get('i');
  if (type === undefined || identity === undefined || !CHANGE_TYPES.has(type)) return undefined;
  const record = values.get('r');
  const previous = values.get('p');
  return {
    type: type as RegistryChange['type'],
    namespace,
    identity,
    at: Number(values.get('at')),
    ...(record === undefined ? {} : { record: decodeRecord(identity, record) }),
    ...(previous === undefined ? {} : { previous: decodeRecord(identity, previous) }),
  };
}
