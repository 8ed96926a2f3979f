import { describe, expect, it } from 'vitest';
import { messagingChannel, messagingChannelBase } from '../src/messaging-channels.js';
import { namespaceKeys } from '../src/namespace-keys.js';
import { queueKeys } from '../src/queue-keys.js';

// Identities and namespaces that would collide if joined raw into keys or channels.
const IDENTITIES = ['room.1', 'room_2E1', 'room_1', 'a:b', 'a}b', '{x}', 'A', 'a', 'q:a', ''];

describe('queue keys and messaging channels', () => {
  it('distinct identities get distinct streams, ready channels and messaging channels', () => {
    const keys = queueKeys('muster', 'ns');
    const base = messagingChannelBase('muster', 'ns');
    for (const build of [keys.stream, keys.ready, (id: string) => messagingChannel(base, id)]) {
      const names = IDENTITIES.map(build);
      expect(new Set(names).size).toBe(IDENTITIES.length);
      // No identity can end the hash tag or reach into another part of the name.
      for (const name of names)
        expect(name.slice(name.indexOf('}') + 1)).toMatch(/^[:A-Za-z0-9_-]*$/);
    }
  });

  it('every key and channel of a namespace carries the registry keys hash tag', () => {
    const tag = namespaceKeys('p', 'a.b').records.split(':records')[0]!;
    const keys = queueKeys('p', 'a.b');
    for (const name of [
      keys.sequence,
      keys.oldest,
      keys.stream('x'),
      keys.ready('x'),
      messagingChannelBase('p', 'a.b'),
    ])
      expect(name.startsWith(`${tag}:`), name).toBe(true);
    expect(queueKeys('p', 'a_2Eb').sequence).not.toBe(keys.sequence);
  });
});
