// Guarantees (through createMuster): enumerate takes filters in the string syntax, the JSON form
// or as an AST; sorts by metadata paths (when supported) and registered_at; walks pages by cursor
// returning each match once; honours includeMetadata and totalCount (when supported); a bad filter
// is INVALID_FILTER with its location, a bad limit INVALID_ARGUMENT.
import { nodes } from '@muster/filter';
import { expect } from 'vitest';
import { expectMusterError } from '../support/expect-muster-error.js';
import { type CoordinatorSuiteContext, withCoordinators } from './coordinator-suite-context.js';

export function coordinatorEnumerateSuite(context: CoordinatorSuiteContext): void {
  const { test, supports } = context;

  test('coordinator enumerate: string, JSON and AST filters agree; pages walk every match once', async () => {
    await withCoordinators(context, { label: 'c-enumerate' }, async ({ muster, namespace }) => {
      for (let i = 0; i < 40; i++)
        await muster.register(namespace, {
          identity: `device-${String(i).padStart(2, '0')}`,
          metadata: {
            battery_level: i / 40,
            firmware_version: i % 2 === 0 ? '1.0.3' : '2.1.0',
            location: { building: i % 3 === 0 ? 'HQ' : 'B2' },
          },
        });
      const expected = Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => i / 40 < 0.5 && i % 2 === 0)
        .map((i) => `device-${String(i).padStart(2, '0')}`);
      const asString = await muster.enumerate(namespace, {
        filter: 'battery_level < 0.5 and firmware_version startswith "1.0"',
      });
      const asJson = await muster.enumerate(namespace, {
        filter: { 'battery_level.lt': 0.5, 'firmware_version.startswith': '1.0' },
      });
      const asAst = await muster.enumerate(namespace, {
        filter: nodes.and([
          nodes.range('lt', ['battery_level'], 0.5),
          nodes.startsWith(['firmware_version'], '1.0'),
        ]),
      });
      for (const result of [asString, asJson, asAst])
        expect(result.identities.map((r) => r.identity)).toEqual(expected);
      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await muster.enumerate(
          namespace,
          cursor === undefined ? { limit: 3 } : { limit: 3, cursor },
        );
        expect(page.identities.length).toBeLessThanOrEqual(3);
        walked.push(...page.identities.map((r) => r.identity));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined && pages < 100);
      expect(walked).toEqual(
        Array.from({ length: 40 }, (_, i) => `device-${String(i).padStart(2, '0')}`),
      );
      const bare = await muster.enumerate(namespace, { includeMetadata: false, limit: 1 });
      expect(bare.identities[0]!.metadata).toEqual({});
    });
  });

  test('coordinator enumerate: sorting and total count', async () => {
    await withCoordinators(
      context,
      { label: 'c-enumerate-sort' },
      async ({ muster, namespace, time }) => {
        for (const [identity, level] of [
          ['a', 3],
          ['b', 1],
          ['c', 2],
          ['d', 1],
        ] as const) {
          await muster.register(namespace, {
            identity,
            metadata: { level, nested: { rank: -level } },
          });
          await time.advance(10);
        }
        const byRegistered = await muster.enumerate(namespace, {
          sort: [{ by: 'registered_at', direction: 'desc' }],
        });
        expect(byRegistered.identities.map((r) => r.identity)).toEqual(['d', 'c', 'b', 'a']);
        if (supports.registry.sort) {
          const byLevel = await muster.enumerate(namespace, {
            sort: [{ by: 'level', direction: 'desc' }],
          });
          expect(byLevel.identities.map((r) => r.identity)).toEqual(['a', 'c', 'b', 'd']);
          const byNested = await muster.enumerate(namespace, { sort: [{ by: 'nested.rank' }] });
          expect(byNested.identities.map((r) => r.identity)).toEqual(['a', 'c', 'b', 'd']);
        }
        if (supports.registry.count) {
          const counted = await muster.enumerate(namespace, {
            filter: 'level == 1',
            totalCount: true,
            limit: 1,
          });
          expect(counted.totalCount).toBe(2);
          expect(counted.identities).toHaveLength(1);
        }
      },
    );
  });

  test('coordinator enumerate: INVALID_FILTER with a location; INVALID_ARGUMENT for a bad limit', async () => {
    await withCoordinators(
      context,
      { label: 'c-enumerate-errors' },
      async ({ muster, namespace }) => {
        const error = await expectMusterError(
          muster.enumerate(namespace, { filter: 'status == online' }),
          'INVALID_FILTER',
          'a bare word',
        );
        expect(error.cause, 'the FilterError is the cause').toBeDefined();
        await expectMusterError(
          muster.enumerate(namespace, { filter: { $nope: 1 } }),
          'INVALID_FILTER',
          'a bad JSON-form filter',
        );
        await expectMusterError(
          muster.enumerate(namespace, { limit: 0 }),
          'INVALID_ARGUMENT',
          'limit 0',
        );
        await expectMusterError(
          muster.enumerate(namespace, { limit: 1_000_000 }),
          'INVALID_ARGUMENT',
          'a limit beyond the maximum',
        );
        await expectMusterError(
          muster.enumerate(namespace, { cursor: 'not a cursor!' }),
          'INVALID_ARGUMENT',
          'a malformed cursor',
        );
      },
    );
  });
}
