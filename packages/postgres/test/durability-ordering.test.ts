// Beyond the kit: the PostgreSQL durability slot's own promises. Two slot instances (two pools,
// as two processes would have) enqueue to one identity at once while a reader walks the queue
// by `after`: per identity, commits follow sequence order, so the walk skips nothing. Then the
// payload bytes and a big batch to many identities.
import { makeEnvelope, uniqueNamespace } from '@muster/conformance';
import type { DurabilitySlot } from '@muster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDurability } from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('durability_order');

describe.skipIf(!reachable)('postgres durability: ordering across writers', () => {
  let writers: DurabilitySlot[] = [];
  let reader: DurabilitySlot;

  beforeAll(() => {
    const slot = () =>
      createPostgresDurability({ url: DATABASE_URL, schema, poolSize: 4, retention: {} });
    writers = [slot(), slot()];
    reader = slot();
  });
  afterAll(async () => {
    for (const slot of [...writers, reader]) await slot?.close();
    await dropSchema(schema);
  });

  it('a reader resuming after its last sequence misses no concurrent enqueue', async () => {
    const namespace = uniqueNamespace('dord');
    await reader.read(namespace, 'a', { limit: 1 }, Date.now()); // migrated before the race
    const perWriter = 150;
    let writing = true;
    const writes = Promise.all(
      writers.map(async (slot, w) => {
        for (let i = 0; i < perWriter; i++)
          await slot.enqueue(
            namespace,
            [
              makeEnvelope('a', `${w}-${i}-x`),
              makeEnvelope('b', 'other'),
              makeEnvelope('a', `${w}-${i}-y`),
            ],
            Date.now(),
          );
      }),
    ).finally(() => {
      writing = false;
    });
    const seen: string[] = [];
    let after = 0;
    let previous = 0;
    for (;;) {
      const stillWriting = writing;
      const page = await reader.read(namespace, 'a', { after, limit: 17 }, Date.now());
      for (const message of page) {
        expect(message.sequence).toBeGreaterThan(previous);
        previous = message.sequence;
        seen.push(new TextDecoder().decode(message.envelope.payload));
      }
      if (page.length > 0) after = page[page.length - 1]!.sequence;
      else if (!stillWriting) break;
    }
    await writes;
    expect(seen).toHaveLength(2 * perWriter * 2);
    expect(new Set(seen).size).toBe(seen.length);
    // Each writer's own messages in its order, x before y.
    for (const w of [0, 1]) {
      const own = seen.filter((text) => text.startsWith(`${w}-`));
      expect(own).toEqual(
        Array.from({ length: perWriter }, (_, i) => [`${w}-${i}-x`, `${w}-${i}-y`]).flat(),
      );
    }
  });

  it('one batch to 2,000 identities: one sequence each, every queue readable', async () => {
    const namespace = uniqueNamespace('dbig');
    const envelopes = Array.from({ length: 2_000 }, (_, i) => makeEnvelope(`id-${i}`, `m${i}`));
    const sequences = await writers[0]!.enqueue(namespace, envelopes, Date.now());
    expect(sequences).toHaveLength(2_000);
    expect(new Set(sequences).size).toBe(2_000);
    for (const i of [0, 999, 1_999]) {
      const [message] = await reader.read(namespace, `id-${i}`, { limit: 5 }, Date.now());
      expect(message?.sequence).toBe(sequences[i]);
      expect(new TextDecoder().decode(message!.envelope.payload)).toBe(`m${i}`);
    }
  });
});
