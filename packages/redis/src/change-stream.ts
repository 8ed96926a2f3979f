import type { RegistryChange, Unsubscribe } from '@muster/core';
import type { Redis } from 'ioredis';
import { Unpackr } from 'msgpackr';
import { registeredFields } from './put-fields.js';
import { decodeRecord } from './stored-record.js';

type StreamEntry = [id: string, fields: string[]];
type BufferEntry = [id: Buffer, fields: Buffer[]];
type XReadReply = [key: Buffer, entries: BufferEntry[]][] | null;

const CHANGE_TYPES = new Set(['registered', 'updated', 'unregistered', 'expired']);
/** Plain MessagePack, as Redis's cmsgpack writes it. */
const UNPACKER = new Unpackr({ useRecords: false });

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
 * The fields of a stream entry as strings. A batched write stores its events in one value `m`,
 * a MessagePack array of five values per event (type, identity, record or false, previous or
 * false, at); a put batch of new registrations only stores its own fields in `f` with the
 * status letters in `s` (see put-fields.ts); entries written by earlier versions hold events in
 * `b`, each field written `byteLength:bytes`. Single writes store plain fields.
 */
function entryFields(fields: readonly Buffer[]): string[] {
  const flat: string[] = [];
  let putFields: Buffer | undefined;
  let statuses: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    const value = fields[i + 1]!;
    if (name === 'm') pushPackedEvents(flat, value);
    else if (name === 'f') putFields = value;
    else if (name === 's') statuses = value.toString();
    else if (name === 'b') pushLengthPrefixed(flat, value);
    else flat.push(name, value.toString());
  }
  if (putFields !== undefined && statuses !== undefined)
    for (const { identity, stored, at } of registeredFields(
      UNPACKER.unpack(putFields) as unknown[],
      statuses,
    ))
      flat.push('t', 'registered', 'i', identity, 'r', stored, 'at', at);
  return flat;
}

function pushPackedEvents(flat: string[], value: Buffer): void {
  const values = UNPACKER.unpack(value) as (string | false)[];
  for (let e = 0; e + 4 < values.length; e += 5) {
    flat.push('t', values[e] as string, 'i', values[e + 1] as string);
    const record = values[e + 2];
    if (record !== false) flat.push('r', record as string);
    const previous = values[e + 3];
    if (previous !== false) flat.push('p', previous as string);
    flat.push('at', values[e + 4] as string);
  }
}

function pushLengthPrefixed(flat: string[], value: Buffer): void {
  let at = 0;
  while (at < value.length) {
    const colon = value.indexOf(0x3a, at);
    if (colon === -1) break;
    const end = colon + 1 + Number(value.toString('latin1', at, colon));
    flat.push(value.toString('utf8', colon + 1, end));
    at = end;
  }
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
