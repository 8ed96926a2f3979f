import { describe, expect, test } from 'vitest';
import {
  fromReportColumns,
  type MulticastReport,
  MusterError,
  toReportColumns,
} from '../../src/index.js';

const report: MulticastReport = {
  multicastId: 'm1',
  targetCount: 4,
  deliveredCount: 1,
  deliveries: [
    { identity: 'a', status: 'SENT' },
    { identity: 'b', status: 'DELIVERED' },
    { identity: 'c', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
    { identity: 'd', status: 'QUEUED' },
  ],
};

describe('report columns', () => {
  test('round trip without message ids: one letter per target, errors aside', () => {
    const columns = toReportColumns(report);
    expect(columns).toEqual({
      targetCount: 4,
      identities: ['a', 'b', 'c', 'd'],
      statuses: 'SDFQ',
      errors: [[2, 'UNAVAILABLE', 'down']],
      messageIds: 0,
    });
    expect(fromReportColumns('m1', JSON.parse(JSON.stringify(columns)))).toEqual(report);
  });

  test('coordinator-style message ids cost nothing; other and missing ones are kept', () => {
    const withIds: MulticastReport = {
      ...report,
      deliveries: report.deliveries.map((delivery, i) =>
        i === 3 ? delivery : { ...delivery, messageId: i === 1 ? 'custom' : `m1-${i}` },
      ),
    };
    const columns = toReportColumns(withIds);
    expect(new Map(columns.messageIds === 0 ? [] : columns.messageIds)).toEqual(
      new Map([
        [1, 'custom'],
        [3, null],
      ]),
    );
    expect(fromReportColumns('m1', columns)).toEqual(withIds);
  });

  test('marks turn targets DELIVERED without error; other identities change nothing', () => {
    const marked = fromReportColumns('m1', toReportColumns(report), new Set(['c', 'zz']));
    expect(marked.deliveries[2]).toEqual({ identity: 'c', status: 'DELIVERED' });
    expect(marked.deliveredCount).toBe(2);
  });

  test('an unknown status is INVALID_ARGUMENT', () => {
    const bad = {
      ...report,
      deliveries: [{ identity: 'a', status: 'LOST' }],
    } as unknown as MulticastReport;
    expect(() => toReportColumns(bad)).toThrow(MusterError);
    try {
      toReportColumns(bad);
    } catch (error) {
      expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
