import { describe, expect, it } from 'vitest';
import { encodeMetadataForLua } from '../../src/compile/redis/encode-metadata-for-lua.js';
import { FilterError } from '../../src/errors/filter-error.js';

describe('encodeMetadataForLua', () => {
  it('tags empty arrays so they stay distinct from empty objects', () => {
    expect(encodeMetadataForLua({ a: [], b: {}, c: [[], {}, [1]], d: { e: [] } })).toBe(
      '{"a":{"$a":0},"b":{},"c":[{"$a":0},{},[1]],"d":{"e":{"$a":0}}}',
    );
  });

  it('writes everything else as plain JSON', () => {
    const metadata = {
      s: 'é😀"\\\n',
      n: [0.1, 1e21, -2.5, Number('123456789012345678')],
      b: false,
      z: null,
    };
    const encoded = encodeMetadataForLua(metadata);
    expect(encoded).toBe(
      '{"s":"é😀\\"\\\\\\n","n":[0.1,1e+21,-2.5,123456789012345680],"b":false,"z":null}',
    );
    expect(JSON.parse(encoded)).toEqual(metadata);
  });

  it('encodes the empty document as an empty object', () => {
    expect(encodeMetadataForLua({})).toBe('{}');
  });

  it('rejects metadata that would collide with the tag or lose information', () => {
    expect(() => encodeMetadataForLua({ $a: 0 })).toThrow(FilterError);
    expect(() => encodeMetadataForLua({ a: { $a: 0 } })).toThrow(/must not start with "\$"/);
    expect(() => encodeMetadataForLua({ a: Number.NaN })).toThrow(/not finite/);
    expect(() => encodeMetadataForLua({ a: [1, undefined] })).toThrow(FilterError);
    expect(() => encodeMetadataForLua({ 'a.b': 1 })).toThrow(FilterError);
    expect(() => encodeMetadataForLua({ a: new Date(0) })).toThrow(FilterError);
  });
});
