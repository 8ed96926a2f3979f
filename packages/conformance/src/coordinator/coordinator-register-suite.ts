// Guarantees (through createMuster on the slots under test): register creates an identity and
// returns registeredAt / expiresAt; get reads it; a second register is ALREADY_EXISTS unless
// `replace`; replace keeps registeredAt; invalid identities are INVALID_ARGUMENT and invalid
// metadata (filter rules, limits, identity schema) INVALID_METADATA naming the field; the
// namespace quota is QUOTA_EXCEEDED; unregister is idempotent and get of a gone identity is NOT_FOUND.
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

export function coordinatorRegisterSuite(context: CoordinatorSuiteContext): void {
  const { test } = context;

  test('coordinator register: create, get, ALREADY_EXISTS, replace keeps registeredAt', async () => {
    await withCoordinators(
      context,
      { label: 'c-register' },
      async ({ muster, namespace, time }) => {
        const t0 = time.now();
        const created = await muster.register(namespace, {
          identity: 'device-42',
          metadata: { battery_level: 0.78, capabilities: ['gps'] },
          ttlMs: 60_000,
        });
        expect(created.identity).toBe('device-42');
        expect(created.registeredAt).toBeGreaterThanOrEqual(t0);
        expect(created.expiresAt).toBe(created.registeredAt + 60_000);
        const record = await muster.get(namespace, 'device-42');
        expect(record.metadata).toEqual({ battery_level: 0.78, capabilities: ['gps'] });
        expect(record.registeredAt).toBe(created.registeredAt);
        expect(record.expiresAt).toBe(created.expiresAt);
        await expectMusterError(
          muster.register(namespace, { identity: 'device-42', metadata: {} }),
          'ALREADY_EXISTS',
          'a second register without replace',
        );
        await time.advance(5);
        const replaced = await muster.register(namespace, {
          identity: 'device-42',
          metadata: { v: 2 },
          replace: true,
        });
        expect(replaced.registeredAt).toBe(created.registeredAt);
        expect((await muster.get(namespace, 'device-42')).metadata).toEqual({ v: 2 });
      },
    );
  });

  test('coordinator register: invalid identity, metadata and TTL are refused with their codes', async () => {
    await withCoordinators(
      context,
      {
        label: 'c-register-invalid',
        config: {
          schema: {
            fields: { status: { type: 'enum', values: ['online', 'away'], required: true } },
          },
        },
      },
      async ({ muster, namespace }) => {
        for (const identity of ['', 'has space', 'x'.repeat(257), 'semi;colon', 'ünï'])
          await expectMusterError(
            muster.register(namespace, { identity, metadata: { status: 'online' } }),
            'INVALID_ARGUMENT',
            `identity ${JSON.stringify(identity)}`,
          );
        const dotted = await expectMusterError(
          muster.register(namespace, { identity: 'a', metadata: { status: 'online', 'a.b': 1 } }),
          'INVALID_METADATA',
          'a key with a dot',
        );
        expect(dotted.details.field).toBeDefined();
        const enumError = await expectMusterError(
          muster.register(namespace, { identity: 'a', metadata: { status: 'gone' } }),
          'INVALID_METADATA',
          'a value outside the enum',
        );
        expect(enumError.details.field).toBe('status');
        await expectMusterError(
          muster.register(namespace, { identity: 'a', metadata: {} }),
          'INVALID_METADATA',
          'a missing required field',
        );
        await expectMusterError(
          muster.register(namespace, { identity: 'a', metadata: { status: 'online' }, ttlMs: -5 }),
          'INVALID_ARGUMENT',
          'a negative TTL',
        );
        await expectMusterError(
          muster.register(namespace, {
            identity: 'a',
            metadata: { status: 'online' },
            ttlMs: 365 * 86_400_000,
          }),
          'INVALID_ARGUMENT',
          'a TTL beyond maxTtlMs',
        );
        await expectMusterError(
          muster.get(namespace, 'a'),
          'NOT_FOUND',
          'get after refused registrations',
        );
      },
    );
  });

  test('coordinator register: the namespace quota is QUOTA_EXCEEDED', async () => {
    await withCoordinators(
      context,
      { label: 'c-quota', config: { maxIdentities: 2 } },
      async ({ muster, namespace }) => {
        await muster.register(namespace, { identity: 'a' });
        await muster.register(namespace, { identity: 'b' });
        await expectMusterError(
          muster.register(namespace, { identity: 'c' }),
          'QUOTA_EXCEEDED',
          'a third identity with maxIdentities 2',
        );
        await muster.register(namespace, {
          identity: 'b',
          metadata: { again: true },
          replace: true,
        });
        await muster.unregister(namespace, 'a');
        await muster.register(namespace, { identity: 'c' });
      },
    );
  });

  test('coordinator unregister: idempotent; get of a gone identity is NOT_FOUND', async () => {
    await withCoordinators(context, { label: 'c-unregister' }, async ({ muster, namespace }) => {
      await muster.register(namespace, { identity: 'a' });
      expect(await muster.unregister(namespace, 'a')).toEqual({ removed: true });
      expect(await muster.unregister(namespace, 'a')).toEqual({ removed: false });
      expect(await muster.unregister(namespace, 'never')).toEqual({ removed: false });
      await expectMusterError(muster.get(namespace, 'a'), 'NOT_FOUND', 'get after unregister');
    });
  });
}
