import { describe, expect, it } from 'vitest';
import { nodes } from '../src/ast/nodes.js';
import { parse } from '../src/parse.js';
import { catchFilterError } from './support/catch-filter-error.js';

const jsonError = (input: unknown) => catchFilterError(() => parse(input), JSON.stringify(input));

describe('JSON form', () => {
  it('reads bare keys as equality and ANDs siblings in key order', () => {
    expect(parse({ service_name: 'payment-service', health_status: 'healthy' })).toEqual(
      nodes.and([
        nodes.eq(['service_name'], 'payment-service'),
        nodes.eq(['health_status'], 'healthy'),
      ]),
    );
    expect(parse({ 'location.building': 'HQ', 'battery_level.lt': 0.2 })).toEqual(
      nodes.and([
        nodes.eq(['location', 'building'], 'HQ'),
        nodes.range('lt', ['battery_level'], 0.2),
      ]),
    );
  });

  it('reads every operator suffix', () => {
    expect(parse({ 'a.eq': 1 })).toEqual(nodes.eq(['a'], 1));
    expect(parse({ 'a.ne': null })).toEqual(nodes.not(nodes.eq(['a'], null)));
    expect(parse({ 'a.lte': 'x' })).toEqual(nodes.range('lte', ['a'], 'x'));
    expect(parse({ 'a.gt': 1, 'a.gte': 2 })).toEqual(
      nodes.and([nodes.range('gt', ['a'], 1), nodes.range('gte', ['a'], 2)]),
    );
    expect(parse({ 'fw.startswith': '1.0' })).toEqual(nodes.startsWith(['fw'], '1.0'));
    expect(parse({ 'fw.endswith': 'rc' })).toEqual(nodes.endsWith(['fw'], 'rc'));
    expect(parse({ 'endpoint.contains': 'prod' })).toEqual(nodes.contains(['endpoint'], 'prod'));
    expect(parse({ 'h.regex': '^edge' })).toEqual(nodes.matches(['h'], '^edge', ''));
    expect(parse({ 'h.regex': { pattern: 'edge', flags: 'i' } })).toEqual(
      nodes.matches(['h'], 'edge', 'i'),
    );
    expect(parse({ 'b.in': ['B1', null] })).toEqual(nodes.in(['b'], ['B1', null]));
    expect(parse({ 'loc.exists': true })).toEqual(nodes.exists(['loc']));
    expect(parse({ 'loc.exists': false })).toEqual(nodes.not(nodes.exists(['loc'])));
    expect(parse({ 'x.type': 'object' })).toEqual(nodes.type(['x'], 'object'));
  });

  it('reads $and, $or and $not', () => {
    expect(parse({ $and: [{ status: 'healthy' }, { 'version.gte': '2.0' }] })).toEqual(
      nodes.and([nodes.eq(['status'], 'healthy'), nodes.range('gte', ['version'], '2.0')]),
    );
    expect(parse({ $or: [{ device_type: 'sensor' }, { device_type: 'gateway' }] })).toEqual(
      nodes.or([nodes.eq(['device_type'], 'sensor'), nodes.eq(['device_type'], 'gateway')]),
    );
    expect(parse({ $not: { a: 1, b: 2 } })).toEqual(
      nodes.not(nodes.and([nodes.eq(['a'], 1), nodes.eq(['b'], 2)])),
    );
  });

  it('treats {} as match-all, only as the whole filter', () => {
    expect(parse({})).toEqual(nodes.all());
    expect(jsonError({ $not: {} }).message).toMatch(/only allowed as the whole filter/);
    expect(jsonError({ $and: [{}] }).message).toMatch(/only allowed as the whole filter/);
  });

  it('keeps the RFC-017 compatibility rules', () => {
    expect(parse({ 'metadata.exists': 'location' })).toEqual(nodes.exists(['location']));
    expect(parse({ 'metadata.exists': 'location.floor' })).toEqual(
      nodes.exists(['location', 'floor']),
    );
    expect(parse({ 'device.exists': 'gps' })).toEqual(nodes.exists(['device', 'gps']));
    expect(parse({ 'metadata.exists': true })).toEqual(nodes.exists(['metadata']));
    expect(parse({ service_name: '*' })).toEqual(nodes.exists(['service_name']));
    expect(parse({ 'service_name.eq': '*' })).toEqual(nodes.eq(['service_name'], '*'));
  });

  it('reads an operator-named last segment as an operator only after a path', () => {
    expect(parse({ lt: 5 })).toEqual(nodes.eq(['lt'], 5));
    expect(parse({ 'limits.lt.eq': 5 })).toEqual(nodes.eq(['limits', 'lt'], 5));
    expect(parse({ 'limits.lt': 5 })).toEqual(nodes.range('lt', ['limits'], 5));
  });

  it('rejects bad input with the JSON path of the offending key', () => {
    const wrongType = jsonError({ $and: [{ a: 1 }, { 'b.lt': true }] });
    expect(wrongType.code).toBe('INVALID_FILTER');
    expect(wrongType.details.path).toEqual(['$and', 1, 'b.lt']);
    expect(wrongType.message).toBe(
      'invalid filter at ["$and"][1]["b.lt"]: "lt" compares with a number or a string, not boolean true',
    );
    expect(jsonError({ a: [1] }).message).toMatch(/takes a single value/);
    expect(jsonError({ a: { b: 1 } }).message).toMatch(/not an object/);
    expect(jsonError({ $nor: [] }).message).toMatch(/unknown operator "\$nor"/);
    expect(jsonError({ $or: [] }).message).toMatch(/non-empty array/);
    expect(jsonError({ 'a..b': 1 }).message).toMatch(/must not be empty/);
    expect(jsonError({ 'x.type': 'date' }).message).toMatch(/one of string, number/);
    expect(jsonError({ 'x.regex': { pattern: 'a', flags: 'g' } }).message).toMatch(/flags/);
    expect(jsonError({ 'x.regex': '(?<n>a)' }).details.path).toEqual(['x.regex']);
    expect(jsonError({ 'x.exists': 1 }).message).toMatch(/true, false or a field name/);
    expect(jsonError([]).message).toMatch(/is an object, not an array/);
    expect(jsonError(null).message).toMatch(/not null/);
    expect(jsonError(42).message).toMatch(/not number/);
  });

  it('rejects numbers that are not finite and strings with NUL', () => {
    expect(jsonError({ a: Number.POSITIVE_INFINITY }).message).toMatch(/not finite/);
    expect(jsonError({ a: 'x\u0000' }).message).toMatch(/U\+0000/);
  });
});
