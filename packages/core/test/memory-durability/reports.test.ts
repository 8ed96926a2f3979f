import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { ReportTable } from '../../src/memory/durability/report-table.js';
import type { MulticastReport } from '../../src/slots/multicast-report.js';
import { T0 } from './envelopes.js';

const HOUR = 60 * 60 * 1000;

function report(multicastId: string, identities: readonly string[]): MulticastReport {
  return {
    multicastId,
    targetCount: identities.length,
    deliveredCount: 0,
    deliveries: identities.map((identity) => ({ identity, status: 'QUEUED' as const })),
  };
}

const statuses = (loaded: MulticastReport | undefined) =>
  loaded?.deliveries.map((d) => `${d.identity}:${d.status}`);

describe('memory durability: reports', () => {
  it('saves and loads a report, applies marks idempotently and recounts DELIVERED', async () => {
    const slot = createMemoryDurability();
    const saved = report('m1', ['a', 'b', 'c']);
    await slot.saveReport!('ns', saved, T0 + HOUR);
    expect(await slot.loadReport!('ns', 'm1', T0)).toEqual(saved);
    const mark = { multicastId: 'm1', identity: 'b', expiresAt: T0 + HOUR };
    await slot.markDelivered!('ns', [mark], T0);
    await slot.markDelivered!('ns', [mark, mark], T0);
    await slot.markDelivered!('ns', [{ ...mark, identity: 'not-a-target' }], T0);
    const loaded = await slot.loadReport!('ns', 'm1', T0);
    expect(statuses(loaded)).toEqual(['a:QUEUED', 'b:DELIVERED', 'c:QUEUED']);
    expect(loaded?.deliveredCount).toBe(1);
    expect(loaded?.targetCount).toBe(3);
    expect(statuses(saved), 'the saved object is not changed').toEqual([
      'a:QUEUED',
      'b:QUEUED',
      'c:QUEUED',
    ]);
  });

  it('a mark that arrives before its report applies once the report is saved', async () => {
    const slot = createMemoryDurability();
    await slot.markDelivered!(
      'ns',
      [{ multicastId: 'early', identity: 'a', expiresAt: T0 + HOUR }],
      T0,
    );
    expect(await slot.loadReport!('ns', 'early', T0)).toBeUndefined();
    await slot.saveReport!('ns', report('early', ['a', 'b']), T0 + HOUR);
    expect(statuses(await slot.loadReport!('ns', 'early', T0))).toEqual([
      'a:DELIVERED',
      'b:QUEUED',
    ]);
  });

  it('FAILED or TIMEOUT targets that were acked after all become DELIVERED without error', async () => {
    const slot = createMemoryDurability();
    await slot.saveReport!(
      'ns',
      {
        multicastId: 'late',
        targetCount: 2,
        deliveredCount: 0,
        deliveries: [
          { identity: 'a', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
          { identity: 'b', status: 'TIMEOUT' },
        ],
      },
      T0 + HOUR,
    );
    const marks = ['a', 'b'].map((identity) => ({
      multicastId: 'late',
      identity,
      expiresAt: T0 + HOUR,
    }));
    await slot.markDelivered!('ns', marks, T0);
    expect((await slot.loadReport!('ns', 'late', T0))?.deliveries).toEqual([
      { identity: 'a', status: 'DELIVERED' },
      { identity: 'b', status: 'DELIVERED' },
    ]);
  });

  it('expires at expiresAt by the caller clock; trim frees expired reports', async () => {
    const slot = createMemoryDurability();
    await slot.saveReport!('ns', report('m', ['a']), T0 + 1000);
    expect(await slot.loadReport!('ns', 'm', T0 + 999)).toBeDefined();
    expect(await slot.loadReport!('ns', 'm', T0 + 1000)).toBeUndefined();
    expect(
      await slot.loadReport!('ns', 'm', T0),
      'a clock running ahead decides nothing',
    ).toBeDefined();
    const late = { multicastId: 'm', identity: 'a', expiresAt: T0 + 5000 };
    await slot.markDelivered!('ns', [late], T0 + 2000);
    expect(statuses(await slot.loadReport!('ns', 'm', T0)), 'no mark on an expired report').toEqual(
      ['a:QUEUED'],
    );
    await slot.trim('ns', T0 + 1000);
    expect(await slot.loadReport!('ns', 'm', T0), 'trimmed: gone for good').toBeUndefined();
  });

  it('namespaces are separate; unknown ids are undefined', async () => {
    const slot = createMemoryDurability();
    await slot.saveReport!('one', report('same', ['a']), T0 + HOUR);
    await slot.saveReport!('two', report('same', ['b']), T0 + HOUR);
    await slot.markDelivered!(
      'one',
      [{ multicastId: 'same', identity: 'a', expiresAt: T0 + HOUR }],
      T0,
    );
    expect(statuses(await slot.loadReport!('one', 'same', T0))).toEqual(['a:DELIVERED']);
    expect(statuses(await slot.loadReport!('two', 'same', T0))).toEqual(['b:QUEUED']);
    expect(await slot.loadReport!('three', 'same', T0)).toBeUndefined();
    expect(await slot.loadReport!('one', 'other', T0)).toBeUndefined();
  });

  it('keeps at most maxReports and maxDeliveries, dropping the oldest first', async () => {
    const slot = createMemoryDurability({ reportLimits: { maxReports: 2, maxDeliveries: 5 } });
    for (const id of ['r1', 'r2', 'r3'])
      await slot.saveReport!('ns', report(id, ['a', 'b']), T0 + HOUR);
    expect(await slot.loadReport!('ns', 'r1', T0)).toBeUndefined();
    expect(await slot.loadReport!('ns', 'r2', T0)).toBeDefined();
    await slot.saveReport!('ns', report('big', ['a', 'b', 'c', 'd']), T0 + HOUR);
    expect(await slot.loadReport!('ns', 'r2', T0), '2 + 2 + 4 deliveries > 5').toBeUndefined();
    expect(await slot.loadReport!('ns', 'r3', T0)).toBeUndefined();
    await slot.saveReport!('ns', report('huge', ['a', 'b', 'c', 'd', 'e', 'f']), T0 + HOUR);
    expect(
      await slot.loadReport!('ns', 'huge', T0),
      'the newest stays whatever its size',
    ).toBeDefined();
  });

  it('rejects bad report limits and calls after close', async () => {
    expect(() => createMemoryDurability({ reportLimits: { maxReports: 0 } })).toThrow(
      /reportLimits.maxReports/,
    );
    const slot = createMemoryDurability();
    await slot.close();
    for (const call of [
      () => slot.saveReport!('ns', report('m', []), T0 + HOUR),
      () => slot.markDelivered!('ns', [], T0),
      () => slot.loadReport!('ns', 'm', T0),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(MusterError.is(error, 'UNAVAILABLE')).toBe(true);
    }
  });
});

describe('report table', () => {
  it('evicts the oldest report whatever its namespace; the same id in two namespaces is two reports', () => {
    const table = new ReportTable({ maxReports: 3, maxDeliveries: 1000 });
    table.save('one', report('same', ['a']), T0 + HOUR, T0);
    table.save('two', report('same', ['b']), T0 + HOUR, T0);
    table.save('one', report('x', ['c']), T0 + HOUR, T0);
    expect(table.size).toBe(3);
    table.save('two', report('y', ['d']), T0 + HOUR, T0);
    expect(table.size).toBe(3);
    expect(table.load('one', 'same', T0), 'the oldest went').toBeUndefined();
    expect(statuses(table.load('two', 'same', T0))).toEqual(['b:QUEUED']);
    // Saved again, a report moves to the newest end: 'two'/'same' outlives 'one'/'x'.
    table.save('two', report('same', ['b', 'e']), T0 + HOUR, T0);
    table.save('three', report('z', ['f']), T0 + HOUR, T0);
    expect(table.load('one', 'x', T0)).toBeUndefined();
    expect(statuses(table.load('two', 'same', T0))).toEqual(['b:QUEUED', 'e:QUEUED']);
    expect(table.size).toBe(3);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.load('two', 'same', T0)).toBeUndefined();
  });

  it('frees expired reports and waiting marks from the oldest end on save and trim', () => {
    const table = new ReportTable({ maxReports: 100, maxDeliveries: 1000 });
    table.save('ns', report('old', ['a']), 10, 0);
    table.save('ns', report('new', ['a']), 100, 0);
    table.mark('ns', [{ multicastId: 'waiting', identity: 'a', expiresAt: 10 }], 0);
    expect(table.size).toBe(2);
    table.save('ns', report('newest', ['a']), 200, 50);
    expect(table.size, 'the expired head went').toBe(2);
    table.trim(150);
    expect(table.size).toBe(1);
    table.save('ns', report('waiting', ['a']), 300, 150);
    expect(statuses(table.load('ns', 'waiting', 150)), 'the expired mark was dropped').toEqual([
      'a:QUEUED',
    ]);
  });
});
