// Compiles src/syntax/filter.peggy into src/syntax/filter-parser.generated.ts.
// `--check` exits non-zero when the committed file differs from what the grammar produces.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateParserSource } from './parser-source.js';

const output = fileURLToPath(new URL('../src/syntax/filter-parser.generated.ts', import.meta.url));
const expected = generateParserSource();

if (process.argv.includes('--check')) {
  const actual = readFileSync(output, 'utf8');
  if (actual !== expected) {
    console.error(
      'filter-parser.generated.ts is stale: run `pnpm --filter @muster/filter generate`',
    );
    process.exit(1);
  }
  console.log('filter-parser.generated.ts is up to date');
} else {
  writeFileSync(output, expected);
  console.log(`wrote ${output}`);
}
