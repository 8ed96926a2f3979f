import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const buf = join(packageDir, 'node_modules', '.bin', 'buf');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('generated code', () => {
  const temporary = mkdtemp(join(tmpdir(), 'muster-api-gen-'));
  afterAll(async () => rm(await temporary, { recursive: true, force: true }));

  // CI fails here when someone edits the .proto and forgets `pnpm --filter @muster/api generate`.
  it('src/gen is what `buf generate` makes from proto/ (run `pnpm generate` when this fails)', async () => {
    const out = await temporary;
    const env = {
      ...process.env,
      PATH: `${join(packageDir, 'node_modules', '.bin')}:${process.env.PATH}`,
    };
    await run(buf, ['generate', '--output', out], { cwd: packageDir, env });
    const fresh = join(out, 'src', 'gen');
    const committed = join(packageDir, 'src', 'gen');
    const files = await listFiles(fresh);
    expect(files).toEqual(await listFiles(committed));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(await readFile(join(committed, file), 'utf8'), file).toBe(
        await readFile(join(fresh, file), 'utf8'),
      );
  });

  it('the .proto passes buf lint (STANDARD)', async () => {
    await expect(run(buf, ['lint'], { cwd: packageDir })).resolves.toBeDefined();
  });
});
