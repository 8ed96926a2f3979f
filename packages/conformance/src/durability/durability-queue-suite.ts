// Guarantees: enqueue stores a batch and returns one sequence per envelope in input order,
// strictly increasing per identity; read returns an identity's unacked messages in order, intact,
// after a given sequence and at most `limit` of them; an acked message is never read again.
import type { Envelope, QueuedMessage } from '@muster/core';
import { expect } from 'vitest';
import { makeEnvelope, payloadText } from '../support/make-envelope.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { type DurabilitySuiteContext, withDurability } from './durability-suite-context.js';

export function texts(messages: readonly QueuedMessage[]): string[] {
  return messages.map((message) => payloadText(message.envelope));
}

export function durabilityQueueSuite(context: DurabilitySuiteContext): void {
  const { test } = context;

  test('queue: enqueue returns increasing sequences per identity, in input order', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dq');
      const envelopes = ['a', 'b', 'a', 'c', 'a', 'b'].map((id, i) =>
        makeEnvelope(id, `${id}${i}`),
      );
      const sequences = await slot.enqueue(namespace, envelopes, Date.now());
      expect(sequences).toHaveLength(envelopes.length);
      for (const id of ['a', 'b', 'c']) {
        const own = sequences.filter((_, i) => envelopes[i]!.identity === id);
        for (let i = 1; i < own.length; i++)
          expect(own[i]!, `sequences of ${id} increase`).toBeGreaterThan(own[i - 1]!);
      }
      const more = await slot.enqueue(namespace, [makeEnvelope('a', 'later')], Date.now());
      expect(more[0]!).toBeGreaterThan(
        Math.max(...sequences.filter((_, i) => envelopes[i]!.identity === 'a')),
      );
      expect(await slot.enqueue(namespace, [], Date.now())).toEqual([]);
    });
  });

  test("queue: read returns the identity's messages in order, intact, with their sequences", async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dq-read');
      const payload = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
      const envelopes: Envelope[] = [
        makeEnvelope('a', 'first'),
        makeEnvelope('b', 'other'),
        makeEnvelope('a', payload, {
          contentType: 'application/octet-stream',
          attempt: 2,
          createdAt: Date.now() - 5,
        }),
      ];
      const sequences = await slot.enqueue(namespace, envelopes, Date.now());
      const read = await slot.read(namespace, 'a', { limit: 10 }, Date.now());
      expect(read.map((m) => m.sequence)).toEqual([sequences[0], sequences[2]]);
      const { payload: got, ...rest } = read[1]!.envelope;
      const { payload: sent, ...sentRest } = envelopes[2]!;
      expect(rest).toEqual(sentRest);
      expect(Array.from(got)).toEqual(Array.from(sent));
      expect(texts(await slot.read(namespace, 'b', { limit: 10 }, Date.now()))).toEqual(['other']);
      expect(await slot.read(namespace, 'nobody', { limit: 10 }, Date.now())).toEqual([]);
    });
  });

  test('queue: read honours `after` and `limit`', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dq-page');
      const sequences = await slot.enqueue(
        namespace,
        Array.from({ length: 10 }, (_, i) => makeEnvelope('a', `${i}`)),
        Date.now(),
      );
      expect(texts(await slot.read(namespace, 'a', { limit: 3 }, Date.now()))).toEqual([
        '0',
        '1',
        '2',
      ]);
      expect(
        texts(await slot.read(namespace, 'a', { after: sequences[2]!, limit: 3 }, Date.now())),
      ).toEqual(['3', '4', '5']);
      expect(
        texts(await slot.read(namespace, 'a', { after: sequences[9]!, limit: 3 }, Date.now())),
      ).toEqual([]);
      expect(
        texts(await slot.read(namespace, 'a', { after: 0, limit: 100 }, Date.now())),
      ).toHaveLength(10);
    });
  });

  test('queue: an acked message is never read again', async () => {
    await withDurability(context, async (slot) => {
      const namespace = uniqueNamespace('dq-ack');
      const sequences = await slot.enqueue(
        namespace,
        ['0', '1', '2', '3'].map((t) => makeEnvelope('a', t)),
        Date.now(),
      );
      await slot.ack(namespace, 'a', [sequences[0]!, sequences[2]!]);
      expect(texts(await slot.read(namespace, 'a', { limit: 10 }, Date.now()))).toEqual(['1', '3']);
      await slot.ack(namespace, 'a', [sequences[1]!, sequences[3]!]);
      expect(await slot.read(namespace, 'a', { limit: 10 }, Date.now())).toEqual([]);
    });
  });
}
