import fc from 'fast-check';
import { expect, it } from 'vitest';
import { messageIndexOf } from '../../src/messaging-support/message-index.js';

it('gives the index of `<multicastId>-<index>` ids and -1 for every other id', () => {
  expect(messageIndexOf('mc-0', 'mc')).toBe(0);
  expect(messageIndexOf('mc-123', 'mc')).toBe(123);
  expect(messageIndexOf('a-b-9', 'a-b')).toBe(9);
  for (const id of ['mc-', 'mc-01', 'mc-1a', 'mc--1', 'mc1', 'mcx-1', 'm-1', 'mc-1234567890123456'])
    expect(messageIndexOf(id, 'mc'), id).toBe(-1);
  expect(messageIndexOf(undefined, 'mc')).toBe(-1);
});

it('round-trips: the index it finds rebuilds the same id (fuzzed)', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (multicastId, suffix) => {
      const id = `${multicastId}-${suffix}`;
      const index = messageIndexOf(id, multicastId);
      if (index >= 0) expect(`${multicastId}-${index}`).toBe(id);
      else expect(/^(0|[1-9][0-9]{0,14})$/.test(suffix)).toBe(false);
    }),
    { numRuns: 2_000 },
  );
  fc.assert(
    fc.property(fc.string(), fc.nat(), (multicastId, index) => {
      expect(messageIndexOf(`${multicastId}-${index}`, multicastId)).toBe(index);
    }),
  );
});
