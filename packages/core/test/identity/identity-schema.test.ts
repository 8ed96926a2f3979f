import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { checkMetadata, type MetadataRules } from '../../src/identity/check-metadata.js';
import type { IdentitySchema } from '../../src/identity/identity-schema.js';

const NOW = Date.UTC(2026, 0, 1, 12, 30);

function rules(schema: IdentitySchema): MetadataRules {
  return { maxMetadataBytes: 64 * 1024, maxMetadataDepth: 16, schema };
}

function errorOf(metadata: unknown, schema: IdentitySchema): MusterError {
  try {
    checkMetadata(metadata, rules(schema), NOW);
  } catch (error) {
    if (MusterError.is(error)) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(metadata)}`);
}

const DEVICE: IdentitySchema = {
  fields: {
    device_type: { type: 'enum', values: ['sensor', 'actuator', 'gateway'], required: true },
    firmware_version: { type: 'string', maxLength: 8 },
    battery_level: { type: 'number' },
    online: { type: 'boolean', default: true },
    capabilities: { type: 'array', maxLength: 3, default: [] },
    location: { type: 'object' },
    last_seen: { type: 'timestamp', auto: 'now' },
  },
};

describe('checkMetadata: identity schema', () => {
  it('accepts matching metadata and completes defaults and auto: now', () => {
    const input = { device_type: 'sensor', battery_level: 0.5 };
    const output = checkMetadata(input, rules(DEVICE), NOW);
    expect(output).toEqual({
      device_type: 'sensor',
      battery_level: 0.5,
      online: true,
      capabilities: [],
      last_seen: '2026-01-01T12:30:00.000Z',
    });
    expect(input).toEqual({ device_type: 'sensor', battery_level: 0.5 });
  });

  it('returns the input itself when the schema changes nothing', () => {
    const input = {
      device_type: 'gateway',
      online: false,
      capabilities: ['gps'],
      last_seen: '2025-12-31T23:00:00.000Z',
    };
    expect(checkMetadata(input, rules(DEVICE), NOW)).toBe(input);
  });

  it('gives each record its own copy of an object default', () => {
    const a = checkMetadata({ device_type: 'sensor' }, rules(DEVICE), NOW);
    const b = checkMetadata({ device_type: 'sensor' }, rules(DEVICE), NOW);
    expect(a.capabilities).toEqual([]);
    expect(a.capabilities).not.toBe(b.capabilities);
    expect(a.capabilities).not.toBe(DEVICE.fields.capabilities?.default);
  });

  it('names the field, what was expected and what was found', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { device_type: 'sensor', battery_level: 'high' },
        'battery_level',
        /must be a number, found a string \("high"\)/,
      ],
      [
        { device_type: 'robot' },
        'device_type',
        /must be one of "sensor", "actuator", "gateway", found a string \("robot"\)/,
      ],
      [{ device_type: 'sensor', online: 'yes' }, 'online', /must be a boolean/],
      [
        { device_type: 'sensor', capabilities: 'gps' },
        'capabilities',
        /must be an array, found a string/,
      ],
      [{ device_type: 'sensor', location: [1] }, 'location', /must be an object, found an array/],
      [{ device_type: 'sensor', location: null }, 'location', /must be an object, found null/],
      [
        { device_type: 'sensor', firmware_version: 3 },
        'firmware_version',
        /must be a string, found a number \(3\)/,
      ],
      [
        { device_type: 'sensor', last_seen: 'yesterday' },
        'last_seen',
        /RFC 3339 date-time.*found a string \("yesterday"\)/,
      ],
      [
        { device_type: 'sensor', last_seen: 1767225600000 },
        'last_seen',
        /RFC 3339.*found a number/,
      ],
    ];
    for (const [metadata, field, message] of cases) {
      const error = errorOf(metadata, DEVICE);
      expect(error.code).toBe('INVALID_METADATA');
      expect(error.details.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('requires required fields', () => {
    const error = errorOf({ battery_level: 1 }, DEVICE);
    expect(error.details.field).toBe('device_type');
    expect(error.message).toMatch(/"device_type" is required/);
  });

  it('applies maxLength to strings (in characters) and arrays (in items)', () => {
    expect(
      checkMetadata({ device_type: 'sensor', firmware_version: '12345678' }, rules(DEVICE), NOW),
    ).toBeDefined();
    // Eight astral characters are sixteen UTF-16 units but eight characters.
    expect(
      checkMetadata(
        { device_type: 'sensor', firmware_version: '😀'.repeat(8) },
        rules(DEVICE),
        NOW,
      ),
    ).toBeDefined();
    const long = errorOf({ device_type: 'sensor', firmware_version: '123456789' }, DEVICE);
    expect(long.details).toMatchObject({
      field: 'firmware_version',
      limit: 'maxLength',
      max: 8,
      actual: 9,
    });
    expect(long.message).toMatch(/at most 8 characters, found 9/);
    const many = errorOf({ device_type: 'sensor', capabilities: [1, 2, 3, 4] }, DEVICE);
    expect(many.message).toMatch(/at most 3 items, found 4/);
  });

  it('normalises timestamps to UTC toISOString so they sort and compare', () => {
    const output = checkMetadata(
      { device_type: 'sensor', last_seen: '2026-03-01T01:30:00.123456+02:00' },
      rules(DEVICE),
      NOW,
    );
    expect(output.last_seen).toBe('2026-02-28T23:30:00.123Z');
  });

  it('refuses fields outside the schema when additionalFields is false', () => {
    const strict: IdentitySchema = { ...DEVICE, additionalFields: false };
    expect(checkMetadata({ device_type: 'sensor' }, rules(strict), NOW)).toBeDefined();
    const error = errorOf({ device_type: 'sensor', colour: 'red' }, strict);
    expect(error.details.field).toBe('colour');
    expect(error.message).toMatch(/"colour" is not in the namespace's schema/);
    // Allowed by default.
    expect(checkMetadata({ device_type: 'sensor', colour: 'red' }, rules(DEVICE), NOW).colour).toBe(
      'red',
    );
  });

  it('checks the completed metadata against the limits too', () => {
    const schema: IdentitySchema = {
      fields: { blob: { type: 'string', default: 'x'.repeat(100) } },
    };
    const error = (() => {
      try {
        checkMetadata({}, { maxMetadataBytes: 50, maxMetadataDepth: 16, schema }, NOW);
      } catch (caught) {
        return caught as MusterError;
      }
      throw new Error('accepted');
    })();
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.details.limit).toBe('maxMetadataBytes');
  });

  it('refuses defaults that break the metadata rules or the depth limit', () => {
    const nan: IdentitySchema = { fields: { n: { type: 'number', default: Number.NaN } } };
    expect(errorOf({}, nan).message).toContain('not finite');
    const deep: IdentitySchema = { fields: { o: { type: 'object', default: { a: { b: {} } } } } };
    const error = (() => {
      try {
        checkMetadata({}, { maxMetadataBytes: 1000, maxMetadataDepth: 3, schema: deep }, NOW);
      } catch (caught) {
        return caught as MusterError;
      }
      throw new Error('accepted');
    })();
    expect(error.details).toMatchObject({ limit: 'maxMetadataDepth', field: 'o.a.b' });
  });

  it('runs the metadata rules before the schema', () => {
    const error = errorOf(
      { device_type: 'sensor', battery_level: Number.POSITIVE_INFINITY },
      DEVICE,
    );
    expect(error.message).toContain('not finite');
  });

  it('keeps a field named __proto__ an ordinary field', () => {
    const schema: IdentitySchema = { fields: { ['__proto__']: { type: 'string', default: 'x' } } };
    const output = checkMetadata({}, rules(schema), NOW);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(['__proto__']);
  });
});
