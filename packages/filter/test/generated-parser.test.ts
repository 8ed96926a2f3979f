import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the committed parser is what the grammar generates (run `pnpm generate` after editing filter.peggy)', () => {
  const script = fileURLToPath(new URL('../scripts/generate-parser.js', import.meta.url));
  const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
