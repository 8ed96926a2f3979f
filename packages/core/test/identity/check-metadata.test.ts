import { FilterError } from '@muster/filter';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE_CONFIG } from '../../src/coordinator/namespace-config.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { checkMetadata, type MetadataRules } from '../../src/identity/check-metadata.js';

const NOW = Date.UTC(2026, 0, 1);
const RULES: MetadataRules = { maxMetadataBytes: 64 * 1024, maxMetadataDepth: 16 };

function errorOf(metadata: unknown, rules: MetadataRules = RULES): MusterError {
  try {
    checkMetadata(metadata, rules, NOW);
  } catch (error) {
    if (MusterError.is(error)) return error;
    throw error;
  }
  throw new Error(`checkMetadata accepted ${JSON.stringify(metadata)}`);
}

describe('checkMetadata: the metadata rules', () => {
  it('returns valid metadata as it is, and {} for undefined', () => {
    const metadata = { battery_level: 0.1, capabilities: ['gps'], location: { floor: 2 } };
    expect(checkMetadata(metadata, RULES, NOW)).toBe(metadata);
    expect(checkMetadata(undefined, RULES, NOW)).toEqual({});
  });

  it('accepts a NamespaceConfig as its rules', () => {
    expect(checkMetadata({ a: 1 }, DEFAULT_NAMESPACE_CONFIG, NOW)).toEqual({ a: 1 });
  });

  it("wraps validateMetadata's FilterError: INVALID_METADATA, the cause, the dotted path", () => {
    const error = errorOf({ location: { floor: Number.NaN } });
    expect(error.code).toBe('INVALID_METADATA');
    expect(FilterError.is(error.cause)).toBe(true);
    expect((error.cause as FilterError).code).toBe('INVALID_METADATA');
    expect(error.details).toMatchObject({ field: 'location.floor', path: ['location', 'floor'] });
    expect(error.message).toContain('not finite');

    expect(errorOf({ tags: ['ok', 'bad\u0000'] }).details).toMatchObject({ field: 'tags.1' });
    expect(errorOf({ 'a.b': 1 }).message).toContain('must not contain "."');
    expect(errorOf({ $where: 1 }).message).toContain('must not start with "$"');
    expect(errorOf({ when: new Date(0) }).details.field).toBe('when');
    const holes: unknown[] = new Array(3);
    holes[0] = 1;
    holes[2] = 3;
    expect(errorOf({ holes }).details.field).toBe('holes.1');
  });

  it('refuses a root that is not a JSON object, without a field', () => {
    for (const root of [null, [], 'text', 42, new Map()]) {
      const error = errorOf(root);
      expect(error.code).toBe('INVALID_METADATA');
      expect(FilterError.is(error.cause)).toBe(true);
      expect(error.details.field).toBeUndefined();
    }
  });

  it('limits the UTF-8 JSON size, counting multi-byte characters', () => {
    // {"s":"..."} is 8 bytes plus the string's bytes.
    const rules = { ...RULES, maxMetadataBytes: 20 };
    expect(checkMetadata({ s: 'x'.repeat(12) }, rules, NOW)).toBeDefined();
    const error = errorOf({ s: 'x'.repeat(13) }, rules);
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.message).toContain('maxMetadataBytes (20)');
    expect(error.details).toMatchObject({ limit: 'maxMetadataBytes', max: 20, actual: 21 });
    // "é" is 2 bytes, "😀" 4, an escaped quote 2.
    expect(checkMetadata({ s: 'éééééé' }, rules, NOW)).toBeDefined();
    expect(errorOf({ s: 'éééééé!' }, rules).details.actual).toBe(21);
    expect(errorOf({ s: '😀😀😀x' }, rules).details.actual).toBe(21);
    expect(errorOf({ s: '"""""""""""""' }, { ...rules, maxMetadataBytes: 30 }).details.actual).toBe(
      34,
    );
  });

  it('limits the depth, the metadata object being depth 1, and names where', () => {
    const rules = { ...RULES, maxMetadataDepth: 3 };
    expect(checkMetadata({ a: { b: [1] } }, rules, NOW)).toBeDefined();
    const error = errorOf({ a: { b: [[1]] } }, rules);
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.message).toContain('maxMetadataDepth (3)');
    expect(error.details).toMatchObject({ field: 'a.b.0', limit: 'maxMetadataDepth', max: 3 });
    expect(errorOf({ a: {} }, { ...RULES, maxMetadataDepth: 1 }).details.field).toBe('a');
  });

  it('reports a cycle as too deep instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = errorOf(cyclic);
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.details.limit).toBe('maxMetadataDepth');
  });

  it('handles metadata at the default limits', () => {
    const big = { s: 'x'.repeat(64 * 1024 - 8) };
    expect(checkMetadata(big, DEFAULT_NAMESPACE_CONFIG, NOW)).toBe(big);
    expect(errorOf({ s: 'x'.repeat(64 * 1024 - 7) }, DEFAULT_NAMESPACE_CONFIG).details.limit).toBe(
      'maxMetadataBytes',
    );
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < 16; i++) deep = { d: deep };
    expect(checkMetadata(deep, DEFAULT_NAMESPACE_CONFIG, NOW)).toBe(deep);
    expect(errorOf({ d: deep }, DEFAULT_NAMESPACE_CONFIG).details.limit).toBe('maxMetadataDepth');
  });

  it('never mutates its input', () => {
    const metadata = Object.freeze({ a: Object.freeze([1, 2]), b: Object.freeze({ c: 'x' }) });
    expect(checkMetadata(metadata, RULES, NOW)).toBe(metadata);
  });
});
