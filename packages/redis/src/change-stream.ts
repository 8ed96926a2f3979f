import type { RegistryChange, Unsubscribe } from '@muster/core';
import type { Redis } from 'ioredis';
import { decodeRecord } from './stored-record.js';

type StreamEntry = [id: string, fields: string[]];
type BufferEntry = [id: Buffer, fields: Buffer[]];
type XReadReply = [key: Buffer, entries: BufferEntry[]][] | null;

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
        reply = (await reader.xreadBuffer(
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
          lastId = id.toString();
          if (stopped) return;
          for (const change of decodeChanges(namespace, entryFields(fields))) {
            try {
              listener(change);
            } catch {
              // A throwing listener must not stop the others' events.
            }
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

/**
 * The fields of a stream entry as strings. A batched write stores its events' fields in one
 * value `b`, each written `byteLength:bytes` (byte lengths: read as a Buffer).
 */
function entryFields(fields: readonly Buffer[]): string[] {
  const flat: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    const value = fields[i + 1]!;
    if (name !== 'b') {
      flat.push(name, value.toString());
      continue;
    }
    let at = 0;
    while (at < value.length) {
      const colon = value.indexOf(0x3a, at);
      if (colon === -1) break;
      const end = colon + 1 + Number(value.toString('latin1', at, colon));
      flat.push(value.toString('utf8', colon + 1, end));
      at = end;
    }
  }
  return flat;
}

/** The events of one stream entry: a batched write stores several, each starting at its `t`. */
function decodeChanges(namespace: string, fields: readonly string[]): RegistryChange[] {
  const changes: RegistryChange[] = [];
  let values = new Map<string, string>();
  const finish = () => {
    const change = decodeChange(namespace, values);
    if (change !== undefined) changes.push(change);
  };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 't' && values.size > 0) {
      finish();
      values = new Map();
    }
    values.set(fields[i]!, fields[i + 1]!);
  }
  if (values.size > 0) finish();
  return changes;
}

function decodeChange(
  namespace: string,
  values: ReadonlyMap<string, string>,
): RegistryChange | undefined {
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
