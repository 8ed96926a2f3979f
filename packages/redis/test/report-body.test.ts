// The report encoding on its own: what goes in comes out (statuses, errors, messageIds in
// either form), marks apply on decode, and bytes that are not a report decode to undefined.

import { expectMusterError } from '@muster/conformance';
import type { MulticastReport } from '@muster/core';
import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from '../src/report-body.js';

const ID = '00000000-0000-4000-8000-000000000001';
const NONE: ReadonlySet<string> = new Set();

describe('report body', () => {
  it('round-trips every status, errors, and messageIds (derived or not)', () => {
    const report = {
      multicastId: ID,
      targetCount: 6,
      deliveredCount: 1,
      deliveries: [
        { identity: 'a', messageId: `${ID}-0`, status: 'DELIVERED' },
        { identity: 'b', messageId: 'elsewhere', status: 'SENT' },
        { identity: 'c', status: 'QUEUED' },
        { identity: 'd', messageId: `${ID}-3`, status: 'NO_SUBSCRIBER' },
        { identity: 'e', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
        { identity: 'é✓', messageId: `${ID}-5`, status: 'TIMEOUT' },
      ],
    } as MulticastReport;
    expect(decodeReport(encodeReport(report), NONE)).toEqual(report);
  });

  it('marks turn targets DELIVERED without error or messageId and recount; others ignored', () => {
    const report: MulticastReport = {
      multicastId: ID,
      targetCount: 3,
      deliveredCount: 0,
      deliveries: [
        { identity: 'a', status: 'FAILED', error: { code: 'TIMEOUT', message: 'late' } },
        { identity: 'b', status: 'QUEUED' },
        { identity: 'c', status: 'QUEUED' },
      ],
    };
    const loaded = decodeReport(encodeReport(report), new Set(['a', 'c', 'stranger']));
    expect(loaded).toEqual({
      multicastId: ID,
      targetCount: 3,
      deliveredCount: 2,
      deliveries: [
        { identity: 'a', status: 'DELIVERED' },
        { identity: 'b', status: 'QUEUED' },
        { identity: 'c', status: 'DELIVERED' },
      ],
    });
  });

  it('stays near the identities’ own size for a large report', () => {
    const deliveries = Array.from({ length: 100_000 }, (_, i) => ({
      identity: `device-${String(i).padStart(6, '0')}`,
      messageId: `${ID}-${i}`,
      status: 'SENT' as const,
    }));
    const report = { multicastId: ID, targetCount: 100_000, deliveredCount: 0, deliveries };
    const body = encodeReport(report);
    // 13 characters per identity, plus a string header and one status byte each.
    expect(body.length).toBeLessThan(100_000 * 16);
    expect(decodeReport(body, NONE)).toEqual(report);
  });

  it('bytes that are not a report decode to undefined; an unknown status is INVALID_ARGUMENT', async () => {
    expect(decodeReport(Buffer.from('not a report'), NONE)).toBeUndefined();
    expect(decodeReport(Buffer.from([0xc1]), NONE)).toBeUndefined();
    const bad = {
      multicastId: ID,
      targetCount: 1,
      deliveredCount: 0,
      deliveries: [{ identity: 'a', status: 'LOST' }],
    } as unknown as MulticastReport;
    await expectMusterError(
      (async () => encodeReport(bad))(),
      'INVALID_ARGUMENT',
      'an unknown status',
    );
  });
});
