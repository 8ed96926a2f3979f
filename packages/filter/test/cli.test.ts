import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/cli/main.js';

async function run(args: string[], input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await main(
    ['node', 'muster-filter', ...args],
    Readable.from([input]),
    stdout,
    stderr,
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('muster-filter', () => {
  it('prints the documents that match and exits 0', async () => {
    const result = await run(
      ['battery_level < 0.2'],
      '{"battery_level":0.1}\n{"battery_level":0.5}\n',
    );
    expect(result).toEqual({ code: EXIT.MATCHED, stdout: '{"battery_level":0.1}\n', stderr: '' });
  });

  it('exits 1 when nothing matches, and counts or inverts on request', async () => {
    expect((await run(['a == 2'], '{"a":1}\n')).code).toBe(EXIT.NO_MATCH);
    expect((await run(['--count', 'a >= 1'], '{"a":1}\n{"a":2}\n{}\n')).stdout).toBe('2\n');
    expect((await run(['-v', 'a >= 1'], '{"a":1}\n{}\n')).stdout).toBe('{}\n');
  });

  it('accepts the JSON form', async () => {
    const result = await run(
      ['{"location.building": "HQ", "battery_level.lt": 0.2}'],
      '{"location":{"building":"HQ"},"battery_level":0.1}\n',
    );
    expect(result.code).toBe(EXIT.MATCHED);
  });

  it('reports a bad filter with its code and caret, exit 2', async () => {
    const result = await run(['a <']);
    expect(result.code).toBe(EXIT.ERROR);
    expect(result.stderr).toContain('INVALID_FILTER: invalid filter at line 1, column 4');
    expect(result.stderr).toContain('     ^');
  });

  it('skips bad lines, reporting each, and still filters the rest', async () => {
    const result = await run(['a >= 1'], '{"a":1}\nnot json\n{"a.b":1}\n{"a":3}\n');
    expect(result.stdout).toBe('{"a":1}\n{"a":3}\n');
    expect(result.stderr).toMatch(/line 2: INVALID_JSON/);
    expect(result.stderr).toMatch(/line 3: INVALID_METADATA: .*must not contain "\."/);
    expect(result.code).toBe(EXIT.ERROR);
  });

  it('prints canonical forms with --check', async () => {
    const result = await run(['--check', '{"metadata.exists": "location"}']);
    expect(result.stdout).toBe('string: location exists\njson:   {"location.exists":true}\n');
  });
});
