import { compareCodePoints } from '@muster/filter';

/**
 * Orders identities (and any strings) by Unicode code point, as PostgreSQL's `C` collation,
 * MongoDB and byte-wise UTF-8 do, so every registry adapter pages in the same order. The same
 * order the filter language uses for `<` on strings.
 */
export const compareIdentities: (a: string, b: string) => number = compareCodePoints;
