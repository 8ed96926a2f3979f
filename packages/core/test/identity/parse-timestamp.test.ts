import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTimestamp, parseTimestamp } from '../../src/identity/parse-timestamp.js';

describe('parseTimestamp / normalizeTimestamp', () => {
  it('accepts RFC 3339 date-times and normalises them to UTC', () => {
    const cases: [string, string][] = [
      ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
      ['2026-01-31t12:00:00z', '2026-01-31T12:00:00.000Z'],
      ['2026-01-31 12:00:00Z', '2026-01-31T12:00:00.000Z'],
      ['2026-01-31T12:00:00.5Z', '2026-01-31T12:00:00.500Z'],
      ['2026-01-31T12:00:00.123456789Z', '2026-01-31T12:00:00.123Z'],
      ['2026-01-31T13:00:00+01:00', '2026-01-31T12:00:00.000Z'],
      ['2026-01-01T00:30:00+05:30', '2025-12-31T19:00:00.000Z'],
      ['2025-12-31T23:00:00-02:00', '2026-01-01T01:00:00.000Z'],
      ['2026-01-31T12:00:00-00:00', '2026-01-31T12:00:00.000Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
      ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
      ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ];
    for (const [input, expected] of cases) expect(normalizeTimestamp(input), input).toBe(expected);
  });

  it('refuses what is not an RFC 3339 date-time', () => {
    for (const input of [
      '',
      'yesterday',
      '2026-01-31',
      '2026-01-31T12:00:00', // no offset: local time is ambiguous
      '2026-01-31T12:00Z',
      '2026-1-31T12:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-31T24:00:00Z',
      '2026-01-31T12:60:00Z',
      '2026-01-31T12:00:61Z',
      '2026-01-31T12:00:00+0100',
      '2026-01-31T12:00:00+24:00',
      '2026-01-31T12:00:00.Z',
      ' 2026-01-31T12:00:00Z',
      'Sat, 31 Jan 2026 12:00:00 GMT',
      '+002026-01-31T12:00:00Z',
      '0000-01-01T00:00:00+01:00', // before year 0 in UTC
      '9999-12-31T23:30:00-01:00', // after year 9999 in UTC
    ]) {
      expect(parseTimestamp(input), input).toBeUndefined();
    }
  });

  it('agrees with Date on random instants in any offset, and sorts as text like the instants', () => {
    const instant = fc.integer({ min: Date.UTC(1, 0, 2), max: Date.UTC(9998, 11, 30) });
    const offset = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 });
    const render = (epoch: number, offsetMinutes: number) => {
      const local = new Date(epoch + offsetMinutes * 60_000).toISOString().slice(0, 23);
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    };
    fc.assert(
      fc.property(instant, offset, instant, offset, (a, oa, b, ob) => {
        const ta = normalizeTimestamp(render(a, oa));
        const tb = normalizeTimestamp(render(b, ob));
        expect(ta).toBe(new Date(a).toISOString());
        expect(tb).toBe(new Date(b).toISOString());
        expect(ta! < tb!).toBe(a < b);
      }),
      { numRuns: 2000 },
    );
  });
});
