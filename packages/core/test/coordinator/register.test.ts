import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { TestRegistry } from './support/slots.js';
import { useMusters } from './support/use-musters.js';

const open = useMusters();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (MusterError.is(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('register', { timeout: 10_000 }, () => {
  test('stores the identity and returns registeredAt and expiresAt from the clock', async () => {
    const clock = new ManualClock(1_000_000);
    const muster = open({ clock });
    const result = await muster.register('iot', {
      identity: 'device-1',
      metadata: { battery: 0.5 },
      ttlMs: 30_000,
    });
    expect(result).toEqual({ identity: 'device-1', registeredAt: 1_000_000, expiresAt: 1_030_000 });
    const record = await muster.get('iot', 'device-1');
    expect(record).toMatchObject({
      identity: 'device-1',
      metadata: { battery: 0.5 },
      registeredAt: 1_000_000,
      updatedAt: 1_000_000,
      expiresAt: 1_030_000,
    });
  });

  test('without ttlMs uses the namespace ttlDefaultMs, or no TTL', async () => {
    const clock = new ManualClock(0);
    const muster = open({ clock, namespaces: { short: { ttlDefaultMs: 5000 } } });
    expect((await muster.register('short', { identity: 'a' })).expiresAt).toBe(5000);
    expect((await muster.register('other', { identity: 'a' })).expiresAt).toBeNull();
    expect((await muster.get('other', 'a')).metadata).toEqual({});
  });

  test('ALREADY_EXISTS unless replace; replace keeps registeredAt and updates the rest', async () => {
    const clock = new ManualClock(100);
    const muster = open({ clock });
    await muster.register('ns', { identity: 'a', metadata: { v: 1 } });
    const error = await muster
      .register('ns', { identity: 'a', metadata: { v: 2 } })
      .catch((e) => e);
    expect(MusterError.is(error, 'ALREADY_EXISTS')).toBe(true);
    clock.advance(50);
    const replaced = await muster.register('ns', {
      identity: 'a',
      metadata: { v: 3 },
      replace: true,
    });
    expect(replaced.registeredAt).toBe(100);
    expect(await muster.get('ns', 'a')).toMatchObject({
      metadata: { v: 3 },
      registeredAt: 100,
      updatedAt: 150,
    });
  });

  test('an expired identity can be registered again without replace', async () => {
    const clock = new ManualClock(0);
    const muster = open({ clock });
    await muster.register('ns', { identity: 'a', ttlMs: 10 });
    clock.advance(10);
    const again = await muster.register('ns', { identity: 'a', ttlMs: 10 });
    expect(again.registeredAt).toBe(10);
  });

  test.each([
    ['empty', ''],
    ['too long', 'x'.repeat(257)],
    ['a space', 'a b'],
    ['not a string', 42],
  ])('an identity that is %s is INVALID_ARGUMENT', async (_, identity) => {
    const muster = open();
    const error = await muster
      .register('ns', { identity: identity as string })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as MusterError).details.field).toBe('identity');
  });

  test('metadata that breaks the rules or the limits is INVALID_METADATA naming the field', async () => {
    const muster = open({ namespaces: { small: { maxMetadataBytes: 64, maxMetadataDepth: 2 } } });
    const badKey = await muster
      .register('ns', { identity: 'a', metadata: { nested: { 'a.b': 1 } } })
      .catch((e: unknown) => e);
    expect(MusterError.is(badKey, 'INVALID_METADATA')).toBe(true);
    expect((badKey as MusterError).details.field).toMatch(/^nested/);
    const big = await muster
      .register('small', { identity: 'a', metadata: { text: 'x'.repeat(100) } })
      .catch((e: unknown) => e);
    expect(MusterError.is(big, 'INVALID_METADATA')).toBe(true);
    const deep = await muster
      .register('small', { identity: 'a', metadata: { a: { b: { c: 1 } } } })
      .catch((e: unknown) => e);
    expect(MusterError.is(deep, 'INVALID_METADATA')).toBe(true);
    expect(await codeOf(muster.get('small', 'a'))).toBe('NOT_FOUND');
  });

  test('the namespace schema applies defaults and auto fields and rejects bad fields', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 2));
    const muster = open({
      clock,
      namespaces: {
        presence: {
          schema: {
            fields: {
              user_id: { type: 'string', required: true },
              status: { type: 'enum', values: ['online', 'away'], default: 'away' },
              seen: { type: 'timestamp', auto: 'now' },
            },
          },
        },
      },
    });
    await muster.register('presence', { identity: 'u1', metadata: { user_id: 'alice' } });
    const record = await muster.get('presence', 'u1');
    expect(record.metadata).toMatchObject({ user_id: 'alice', status: 'away' });
    expect(record.metadata.seen).toBeDefined();
    const error = await muster
      .register('presence', { identity: 'u2', metadata: { status: 'away' } })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_METADATA')).toBe(true);
    expect((error as MusterError).details.field).toBe('user_id');
  });

  test.each([[0], [-5], [1.5], [Number.NaN], ['10'], [24 * 60 * 60 * 1000 + 1]])(
    'ttlMs %s is INVALID_ARGUMENT',
    async (ttlMs) => {
      const muster = open();
      const error = await muster
        .register('ns', { identity: 'a', ttlMs: ttlMs as number })
        .catch((e: unknown) => e);
      expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as MusterError).details.field).toBe('ttlMs');
    },
  );

  test('maxTtlMs bounds the TTL per namespace', async () => {
    const muster = open({ namespaces: { tight: { maxTtlMs: 1000 } } });
    await muster.register('tight', { identity: 'a', ttlMs: 1000 });
    expect(await codeOf(muster.register('tight', { identity: 'b', ttlMs: 1001 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  test('request and replace are checked', async () => {
    const muster = open();
    expect(await codeOf(muster.register('ns', null as never))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(muster.register('ns', { identity: 'a', replace: 'yes' as never }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('quota', { timeout: 10_000 }, () => {
  test('QUOTA_EXCEEDED beyond maxIdentities, enforced by the registry', async () => {
    const registry = new TestRegistry();
    const muster = open({ registry, namespaces: { q: { maxIdentities: 2 } } });
    await muster.register('q', { identity: 'a' });
    await muster.register('q', { identity: 'b' });
    const error = await muster.register('q', { identity: 'c' }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'QUOTA_EXCEEDED')).toBe(true);
    // Replacing a live identity is not one more.
    await muster.register('q', { identity: 'a', metadata: { v: 2 }, replace: true });
    expect(registry.calls.count).toBeUndefined();
    await muster.unregister('q', 'a');
    await muster.register('q', { identity: 'c' });
  });

  test('best effort with count when the registry cannot enforce it', async () => {
    const registry = new TestRegistry({ supports: { quota: false } });
    const muster = open({ registry, namespaces: { q: { maxIdentities: 2 } } });
    await muster.register('q', { identity: 'a' });
    await muster.register('q', { identity: 'b' });
    const error = await muster.register('q', { identity: 'c' }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'QUOTA_EXCEEDED')).toBe(true);
    expect((error as MusterError).details).toMatchObject({ limit: 'maxIdentities', max: 2 });
    expect(registry.calls.count).toBeGreaterThan(0);
    await muster.register('q', { identity: 'b', replace: true });
    expect(await codeOf(muster.register('q', { identity: 'b' }))).toBe('ALREADY_EXISTS');
    // Other namespaces have no quota.
    for (const identity of ['a', 'b', 'c']) await muster.register('free', { identity });
  });
});

describe('indexes', { timeout: 10_000 }, () => {
  const schema = {
    fields: {
      room: { type: 'string' as const, index: true },
      name: { type: 'string' as const },
      floor: { type: 'number' as const, index: true },
    },
  };

  test('ensureIndexes runs once per namespace with the indexed fields', async () => {
    const registry = new TestRegistry({ supports: { indexes: true } });
    const muster = open({ registry, namespaces: { chat: { schema }, other: { schema } } });
    await muster.register('chat', { identity: 'a', metadata: { room: 'r' } });
    await muster.register('chat', { identity: 'b', metadata: { room: 'r' } });
    await muster.register('other', { identity: 'a' });
    expect(registry.calls.ensureIndexes).toBe(2);
    expect(registry.ensured[0]).toEqual([['room'], ['floor']]);
  });

  test('not called when the registry does not support indexes', async () => {
    const registry = new TestRegistry({ supports: { indexes: false } });
    registry.ensureIndexes = async () => {
      throw new Error('must not be called');
    };
    const muster = open({ registry, namespaces: { chat: { schema } } });
    await muster.register('chat', { identity: 'a' });
  });
});

describe('namespaces', { timeout: 10_000 }, () => {
  test.each([[''], ['a'.repeat(129)], ['with space'], ['sl/ash']])(
    'namespace %j is INVALID_ARGUMENT',
    async (namespace) => {
      const muster = open();
      expect(await codeOf(muster.register(namespace, { identity: 'a' }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(muster.enumerate(namespace))).toBe('INVALID_ARGUMENT');
    },
  );

  test('strictNamespaces makes unknown namespaces NOT_FOUND', async () => {
    const muster = open({ strictNamespaces: true, namespaces: { known: {} } });
    await muster.register('known', { identity: 'a' });
    const error = await muster.register('unknown', { identity: 'a' }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'NOT_FOUND')).toBe(true);
    expect((error as MusterError).details.field).toBe('namespace');
    // Object.prototype keys are not configured namespaces.
    expect(await codeOf(muster.get('constructor', 'a'))).toBe('NOT_FOUND');
  });

  test('namespaces are isolated', async () => {
    const muster = open();
    await muster.register('one', { identity: 'a', metadata: { n: 1 } });
    await muster.register('two', { identity: 'a', metadata: { n: 2 } });
    expect((await muster.get('one', 'a')).metadata).toEqual({ n: 1 });
    expect((await muster.enumerate('two')).identities.map((r) => r.metadata)).toEqual([{ n: 2 }]);
    await muster.unregister('one', 'a');
    expect((await muster.get('two', 'a')).metadata).toEqual({ n: 2 });
  });
});

describe('slot errors', { timeout: 10_000 }, () => {
  test('a MusterError from a slot passes through; anything else becomes UNAVAILABLE with cause', async () => {
    const registry = new TestRegistry();
    const muster = open({ registry });
    const cause = new Error('connection reset');
    registry.failures.push({ method: 'put', times: 1, error: cause });
    const error = await muster.register('ns', { identity: 'a' }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'UNAVAILABLE')).toBe(true);
    expect((error as MusterError).cause).toBe(cause);
    const own = new MusterError('PERMISSION_DENIED', 'no');
    registry.failures.push({ method: 'get', times: 1, error: own });
    expect(await muster.get('ns', 'a').catch((e: unknown) => e)).toBe(own);
    // The backend is back: calls succeed again without a restart.
    await muster.register('ns', { identity: 'a' });
    expect((await muster.get('ns', 'a')).identity).toBe('a');
  });
});
