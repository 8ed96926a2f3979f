import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { format } from '../../src/format/format.js';
import { toJsonForm } from '../../src/format/to-json-form.js';
import { parse } from '../../src/parse.js';
import { keyProblem } from '../../src/validate/key-rules.js';
import { PostgresHarness } from './support/postgres-harness.js';

/** Text that breaks naive SQL, jsonpath, JSON, LIKE or regex quoting. */
const NASTY = [
  "'",
  "''",
  '"',
  '\\',
  '\\"',
  '\\\\',
  '$',
  '$1',
  '$$',
  '$1::jsonpath',
  '--',
  '-- comment',
  '/*',
  '*/',
  ']]',
  '[*]',
  '%',
  '_',
  '%_%',
  '") || (@ == "',
  '" || true || "',
  '")) || exists($ ? (true',
  "'; DROP TABLE filter_docs; --",
  "' OR '1'='1",
  '@',
  '@ == 1',
  '$.a',
  'strict $',
  'like_regex "a"',
  ' flag "i"',
  '?(',
  ')',
  '^$',
  '\\d',
  '.*',
  '{}',
  '[]',
  'null',
  'true',
  '1',
  '\u2028\u2029',
  '\t\r\n\f\b\v',
  '\u0001\u001f\u007f',
  '\\u0041',
  '\\u{41}',
  '\\x41',
  'é',
  'e\u0301',
  '😀',
  '\u{10FFFF}',
  '\uFFFF',
  'x"y',
  'a b',
  '',
];

const KEYS = NASTY.filter((text) => keyProblem(text) === undefined);

/** Regexes in the portable subset whose text is hostile too. */
const PATTERNS = [
  "'",
  '"',
  '\\\\',
  '\\$',
  '--',
  '%',
  '_',
  '\\]\\]',
  '\\*/',
  '"\\) \\|\\| \\(@ == "',
  '^\\$1',
  '😀$',
];

const harness = await PostgresHarness.open('postgres-injection');

afterAll(async () => {
  await harness?.close();
});

/** The SQL text may only contain our fixed tokens: column, operators, placeholders, keywords. */
const SQL_ALPHABET = /^[A-Za-z0-9_"().$@?: ]*$/;

describe.skipIf(harness === undefined)('hostile keys and values', () => {
  beforeAll(async () => {
    const documents: [string, Record<string, unknown>][] = [];
    NASTY.forEach((value, i) => {
      const key = KEYS[i % KEYS.length]!;
      documents.push([
        `v${i}`,
        { [key]: value, list: [value, i], obj: { [key]: { inner: value } }, s: `<${value}>` },
      ]);
    });
    await harness!.store(documents);
  });

  test('every filter runs, matches the evaluator, and keeps user text out of the SQL', async () => {
    const db = harness!;
    const filters: FilterNode[] = [];
    NASTY.forEach((value, i) => {
      const key = KEYS[i % KEYS.length]!;
      filters.push(
        nodes.eq([key], value),
        nodes.eq(['obj', key, 'inner'], value),
        nodes.not(nodes.eq([key], value)),
        nodes.in([key], [value, 'zzz', 1]),
        nodes.contains(['list'], value),
        nodes.contains(['s'], value),
        nodes.startsWith(['s'], `<${value}`),
        nodes.endsWith(['s'], `${value}>`),
        nodes.range('gte', [key], value),
        nodes.range('lt', ['obj', key, 'inner'], value),
        nodes.exists(['obj', key]),
        nodes.type([key], 'string'),
      );
    });
    for (const pattern of PATTERNS) {
      filters.push(nodes.matches(['s'], pattern, ''), nodes.matches(['list'], pattern, 'i'));
    }
    let nonEmpty = 0;
    for (const filter of filters) {
      const forms: [string, unknown][] = [
        ['string', format(filter)],
        ['json', toJsonForm(filter)],
      ];
      for (const [form, input] of forms) {
        const ast = parse(input);
        expect(ast, `${form} form round trip of ${format(filter)}`).toEqual(filter);
        const result = await db.select(ast);
        const label = `${form}: ${JSON.stringify(input)}\n${result.sql.sql}\n${result.sql.params.join('\n')}`;
        expect(result.sql.sql, label).toMatch(SQL_ALPHABET);
        expect(result.sql.exact, label).toBe(true);
        expect(result.refined, label).toEqual(db.expected(ast));
        if (result.refined.length > 0) nonEmpty++;
      }
    }
    // The filters were built to hit their documents: most must select something.
    expect(nonEmpty).toBeGreaterThan(filters.length);
  });

  test('each equality finds exactly the documents holding the value', async () => {
    const db = harness!;
    for (const [i, value] of NASTY.entries()) {
      const key = KEYS[i % KEYS.length]!;
      const holders = NASTY.flatMap((other, j) =>
        KEYS[j % KEYS.length] === key && other === value ? [`v${j}`] : [],
      );
      expect((await db.select(nodes.eq([key], value))).refined).toEqual(holders.sort());
      expect((await db.select(nodes.contains(['list'], value))).refined).toContain(`v${i}`);
    }
  });

  test('the table survived', async () => {
    const { rows } = await harness!.client.query(
      `SELECT count(*)::int AS n FROM ${harness!.table}`,
    );
    expect(rows[0].n).toBe(NASTY.length);
  });
});
