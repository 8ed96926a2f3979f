// No identity or namespace can reach another's subject: encoded tokens hold no `.`, `*`, `>` or
// whitespace, so every subject has the same number of tokens and no wildcard; and against a real
// server, hostile identities receive exactly their own messages.
import { type Envelope, encodeIdentityToken } from '@muster/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNatsMessaging,
  messagingSubjectBase,
  notifySubjectBase,
  queueSubjectBase,
  streamName,
} from '../src/index.js';
import { checkSubjectPrefix } from '../src/subjects.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;
const HOSTILE = [
  '*',
  '>',
  'a.*',
  'a.>',
  'a.b',
  'a b',
  '..',
  '.',
  'a\tb',
  'x>',
  '$JS.API.>',
  'ünï',
  '_2E',
];

describe('subjects', () => {
  it('every identity and namespace becomes one plain token (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (namespace, identity) => {
          const subject = messagingSubjectBase('muster', namespace) + encodeIdentityToken(identity);
          const tokens = subject.split('.');
          expect(tokens).toHaveLength(3);
          for (const token of tokens) expect(token).toMatch(TOKEN);
          expect(queueSubjectBase('muster', namespace).split('.')).toHaveLength(4);
          expect(notifySubjectBase('muster', namespace).split('.')).toHaveLength(4);
          expect(streamName('muster', namespace)).toMatch(/^[A-Za-z0-9_-]+$/);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('distinct namespaces never share a stream or a subject base', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(streamName('muster', a)).not.toBe(streamName('muster', b));
        expect(messagingSubjectBase('muster', a)).not.toBe(messagingSubjectBase('muster', b));
      }),
      { numRuns: 2_000 },
    );
    expect(streamName('a', 'b_Q_c')).not.toBe(streamName('a_Q_b', 'c'));
  });

  it('a subject prefix with a wildcard or an empty token is INVALID_ARGUMENT', () => {
    for (const bad of ['', '*', 'a.>', 'a..b', 'a b', '.a'])
      expect(() => checkSubjectPrefix(bad), bad).toThrow(/subjectPrefix/);
    expect(checkSubjectPrefix('app.muster-1')).toBe('app.muster-1');
  });
});

const reachable = await natsReachable();

describe.runIf(reachable)('hostile identities on a real server', () => {
  it('each receives exactly its own message; wildcards catch nothing', async () => {
    const slot = await createNatsMessaging({
      servers: NATS_URL,
      subjectPrefix: uniquePrefix('hostile'),
    });
    try {
      const namespace = 'ns.*>';
      const got = new Map<string, string[]>();
      const ids = [...HOSTILE, 'plain', 'a'];
      for (const id of ids) {
        got.set(id, []);
        await slot.subscribe(namespace, id, (message) =>
          got.get(id)!.push(message.envelope.identity),
        );
      }
      const envelopes: Envelope[] = ids.map((identity, i) => ({
        messageId: `h-${i}`,
        multicastId: 'h',
        identity,
        payload: new Uint8Array([i]),
        contentType: 'application/octet-stream',
        attempt: 1,
        createdAt: Date.now(),
      }));
      await slot.publish(namespace, envelopes, { mode: 'at-most-once', timeoutMs: 1_000 });
      const deadline = Date.now() + 5_000;
      while ([...got.values()].some((list) => list.length === 0) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const id of ids) expect(got.get(id), `messages of ${JSON.stringify(id)}`).toEqual([id]);
    } finally {
      await slot.close();
    }
  });
});
