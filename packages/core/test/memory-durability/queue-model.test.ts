import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import type { RetentionPolicy } from '../../src/slots/durability-slot.js';
import { envelope, T0 } from './envelopes.js';

/** The reference: every message ever enqueued, with flags, searched naively. */
interface ModelMessage {
  readonly sequence: number;
  readonly identity: string;
  readonly messageId: string;
  readonly createdAt: number;
  gone: boolean;
}

type Op =
  | { kind: 'enqueue'; items: { identity: string; age: number }[] }
  | { kind: 'read'; identity: string; after: number; limit: number }
  | { kind: 'ack'; identity: string; picks: number[] }
  | { kind: 'purge'; identity: string }
  | { kind: 'trim' }
  | { kind: 'tick'; ms: number };

const identity = fc.oneof(
  { weight: 4, arbitrary: fc.constant('a') },
  { weight: 1, arbitrary: fc.constantFrom('b', 'c') },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      items: fc.array(fc.record({ identity, age: fc.integer({ min: 0, max: 150 }) }), {
        minLength: 1,
        maxLength: 12,
      }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      identity,
      after: fc.integer({ min: -1, max: 200 }),
      limit: fc.integer({ min: 0, max: 8 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('ack' as const),
      identity,
      picks: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const), identity }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trim' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.integer({ min: 0, max: 80 }),
    }),
  },
);

const retention: fc.Arbitrary<RetentionPolicy> = fc.oneof(
  fc.constant({}),
  fc.record({ maxLength: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ maxAgeMs: fc.integer({ min: 20, max: 200 }) }),
  fc.record({
    maxLength: fc.integer({ min: 1, max: 6 }),
    maxAgeMs: fc.integer({ min: 20, max: 200 }),
  }),
);

describe('memory durability against a reference model', () => {
  it('reads exactly what the model says after any sequence of operations', async () => {
    await fc.assert(
      fc.asyncProperty(
        retention,
        fc.array(op, { minLength: 5, maxLength: 80, size: 'max' }),
        async (policy, ops) => {
          const slot = createMemoryDurability({ retention: policy });
          const model: ModelMessage[] = [];
          const maxAge = policy.maxAgeMs ?? Number.POSITIVE_INFINITY;
          const maxLength = policy.maxLength ?? Number.POSITIVE_INFINITY;
          let now = T0;
          let lastSequence = 0;
          let counter = 0;
          const live = (id: string) => model.filter((m) => m.identity === id && !m.gone);
          const expired = (m: ModelMessage) => now - m.createdAt > maxAge;
          const dropExpiredHead = (id: string) => {
            for (const m of live(id)) {
              if (!expired(m)) break;
              m.gone = true;
            }
          };

          for (const step of ops) {
            switch (step.kind) {
              case 'enqueue': {
                const batch = step.items.map((item) =>
                  envelope(item.identity, `m${counter++}`, now - item.age),
                );
                const sequences = await slot.enqueue('ns', batch, now);
                expect(sequences).toHaveLength(batch.length);
                batch.forEach((e, i) => {
                  const sequence = sequences[i]!;
                  expect(sequence).toBeGreaterThan(lastSequence);
                  lastSequence = sequence;
                  model.push({
                    sequence,
                    identity: e.identity,
                    messageId: e.messageId,
                    createdAt: e.createdAt,
                    gone: false,
                  });
                  const queue = live(e.identity);
                  if (queue.length > maxLength) queue[0]!.gone = true;
                });
                break;
              }
              case 'read': {
                dropExpiredHead(step.identity);
                const expected = live(step.identity)
                  .filter((m) => m.sequence > step.after && !expired(m))
                  .slice(0, step.limit)
                  .map((m) => [m.sequence, m.messageId]);
                const actual = await slot.read(
                  'ns',
                  step.identity,
                  { after: step.after, limit: step.limit },
                  now,
                );
                expect(actual.map((m) => [m.sequence, m.envelope.messageId])).toEqual(expected);
                break;
              }
              case 'ack': {
                // Mostly sequences of this identity, sometimes others' or unknown ones.
                const mine = model
                  .filter((m) => m.identity === step.identity)
                  .map((m) => m.sequence);
                const sequences = step.picks.map((p) =>
                  p % 4 === 3 || mine.length === 0 ? p : mine[p % mine.length]!,
                );
                await slot.ack('ns', step.identity, sequences);
                for (const m of model)
                  if (m.identity === step.identity && sequences.includes(m.sequence)) m.gone = true;
                break;
              }
              case 'purge':
                await slot.purge('ns', step.identity);
                for (const m of live(step.identity)) m.gone = true;
                break;
              case 'trim':
                await slot.trim('ns', now);
                for (const m of model) if (!m.gone && expired(m)) m.gone = true;
                break;
              case 'tick':
                now += step.ms;
                break;
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
