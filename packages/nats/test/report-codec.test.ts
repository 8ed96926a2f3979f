import type { MulticastReport } from '@muster/core';
import { describe, expect, it } from 'vitest';
import { decodeReport, encodeReport } from '../src/report-codec.js';

const NOW = 1_000_000;
const LATER = NOW + 60_000;

function report(deliveries: MulticastReport['deliveries'], multicastId = 'm1'): MulticastReport {
  return {
    multicastId,
    targetCount: deliveries.length,
    deliveredCount: deliveries.filter((d) => d.status === 'DELIVERED').length,
    deliveries,
  };
}

describe('report codec', () => {
  it('round-trips every status, errors and message ids of any form', () => {
    const saved = report([
      { identity: 'a', status: 'SENT', messageId: 'm1-0' },
      { identity: 'b', status: 'DELIVERED', messageId: 'custom' },
      { identity: 'c', status: 'QUEUED' },
      { identity: 'd', status: 'NO_SUBSCRIBER', messageId: 'm1-3' },
      { identity: 'e', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
      { identity: 'é.*>', status: 'TIMEOUT', messageId: 'm1-05' },
    ]);
    expect(decodeReport(encodeReport(saved, LATER), new Set(), NOW)).toEqual(saved);
  });

  it('stores coordinator-style ids (<multicastId>-<index>) as nothing at all', () => {
    const identities = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const withIds = report(
      identities.map((identity, i) => ({ identity, status: 'QUEUED', messageId: `m1-${i}` })),
    );
    const withoutIds = report(identities.map((identity) => ({ identity, status: 'QUEUED' })));
    const a = encodeReport(withIds, LATER);
    const b = encodeReport(withoutIds, LATER);
    expect(a.length - b.length).toBe(',"m":[]'.length);
    expect(decodeReport(a, new Set(), NOW)).toEqual(withIds);
    expect(decodeReport(b, new Set(), NOW)).toEqual(withoutIds);
  });

  it('applies marks to targets only, drops their error and recounts', () => {
    const saved = report([
      { identity: 'a', status: 'FAILED', error: { code: 'UNAVAILABLE', message: 'down' } },
      { identity: 'b', status: 'QUEUED' },
      { identity: 'c', status: 'DELIVERED' },
    ]);
    const loaded = decodeReport(encodeReport(saved, LATER), new Set(['a', 'c', 'x']), NOW);
    expect(loaded?.deliveries).toEqual([
      { identity: 'a', status: 'DELIVERED' },
      { identity: 'b', status: 'QUEUED' },
      { identity: 'c', status: 'DELIVERED' },
    ]);
    expect(loaded?.deliveredCount).toBe(2);
  });

  it('hides a report at now >= expiresAt', () => {
    const bytes = encodeReport(report([{ identity: 'a', status: 'SENT' }]), LATER);
    expect(decodeReport(bytes, new Set(), LATER - 1)).toBeDefined();
    expect(decodeReport(bytes, new Set(), LATER)).toBeUndefined();
  });

  it('rejects an unknown status with INVALID_ARGUMENT', () => {
    const bad = report([{ identity: 'a', status: 'LOST' as 'SENT' }]);
    expect(() => encodeReport(bad, LATER)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
