import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileRegexMatcher, isBacktrackingSafe, toPcreRegex } from '../../src/regex/index.js';
import {
  flagsArb,
  isMatchableClassPattern,
  patternArb,
  propertySeed,
  subjectArb,
} from './regex-arbitraries.js';

/**
 * The PCRE emitter has no MongoDB to run against yet. Two stand-ins: JavaScript's backtracking
 * engine on a mechanical translation of the emitted pattern (always), and the real PCRE2 library
 * of this machine through a small Python ctypes script (skipped when python3 or libpcre2-8 is
 * missing). MongoDB 6.1+ uses PCRE2 in UTF mode; we check with and without UCP.
 */

const RUNS = Number(process.env.FILTER_REGEX_RUNS ?? 1500);

/** PCRE syntax of our emitter's output to JavaScript `u` syntax: same engine family and meaning. */
function pcreToJavaScript(pcre: string): RegExp {
  let out = '';
  for (let k = 0; k < pcre.length; k++) {
    const c = pcre[k]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = pcre[++k]!;
    if (e === 'x') {
      const close = pcre.indexOf('}', k);
      out += `\\u{${pcre.slice(k + 2, close)}}`;
      k = close;
    } else if (e === 'A') out += '^';
    else if (e === 'z') out += '$';
    else if ('^$\\.*+?()[]{}|/'.includes(e)) out += `\\${e}`;
    else out += `\\u{${e.charCodeAt(0).toString(16)}}`;
  }
  return new RegExp(out, 'u');
}

describe('toPcreRegex: same meaning as our matcher', () => {
  test('on JavaScript backtracking engine', () => {
    fc.assert(
      fc.property(
        patternArb,
        flagsArb,
        fc.array(subjectArb, { minLength: 1, maxLength: 12 }),
        (pattern, flags, subjects) => {
          fc.pre(isMatchableClassPattern(pattern, flags));
          const match = compileRegexMatcher(pattern, flags);
          const reference = pcreToJavaScript(toPcreRegex(pattern, flags));
          for (const subject of subjects) {
            expect(reference.test(subject), JSON.stringify(subject)).toBe(match(subject));
          }
        },
      ),
      { seed: propertySeed('pcre emitter vs JavaScript'), numRuns: RUNS },
    );
  });

  test('on the real PCRE2 library (UTF, and UTF+UCP)', (ctx) => {
    const seed = propertySeed('pcre emitter vs PCRE2');
    const samples = fc
      .sample(
        fc.tuple(patternArb, flagsArb, fc.array(subjectArb, { minLength: 1, maxLength: 12 })),
        { seed, numRuns: RUNS },
      )
      .filter(([pattern, flags]) => isMatchableClassPattern(pattern, flags));
    // The fixed cases first: the constructs where PCRE's defaults differ from ours.
    const fixed: [string, '' | 'i', string[]][] = [
      ['a$', '', ['a\n', 'a', 'ba']],
      ['^a', '', ['b\na', 'ab']],
      ['a.b', '', ['a\nb', 'a\rb', 'a\u2028b', 'a😀b']],
      ['\\s', '', ['\u00a0', '\u2028', '\u0085', '\v', ' ']],
      ['\\w\\d', '', ['é٣', 'a1']],
      ['\\S\\D\\W', '', ['\u00a0٣é', '\n\n\n']],
      ['k', 'i', ['\u212a', 'K']],
      ['s', 'i', ['ſ', 'S']],
      ['é', 'i', ['É']],
      ['[^a]', 'i', ['A', 'b']],
      ['(^)*a$', '', ['a', 'ba']],
      ['^😀{2}$', '', ['😀😀', '😀']],
      ['a|', '', ['x']],
      ['\\.\\-\\/\\]\\{\\\\\\#', '', ['.-/]{\\#']],
    ];
    const cases = [...fixed, ...samples];
    const request = {
      options: [['UTF'], ['UTF', 'UCP']],
      cases: cases.map(([pattern, flags, subjects]) => ({
        pattern: toPcreRegex(pattern, flags),
        subjects,
      })),
    };
    const script = fileURLToPath(new URL('./pcre2-oracle.py', import.meta.url));
    const run = spawnSync('python3', [script], {
      input: JSON.stringify(request),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.error !== undefined || run.status === 3) {
      ctx.skip(`PCRE2 oracle unavailable: ${run.error?.message ?? run.stderr.trim()}`);
    }
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as (boolean | { error: string })[][][];
    let checked = 0;
    cases.forEach(([pattern, flags, subjects], index) => {
      const match = compileRegexMatcher(pattern, flags);
      const expected = subjects.map((subject) => match(subject));
      for (const answers of results[index]!) {
        expect(answers, `${JSON.stringify(pattern)} (${flags}) seed ${seed}`).toEqual(expected);
        checked += subjects.length;
      }
    });
    console.log(`pcre emitter vs PCRE2: ${checked} checks over ${cases.length} patterns`);
  });

  test('backtracking-safe patterns stay fast on PCRE-like engines', () => {
    // JavaScript's engine backtracks like PCRE; a safe pattern must not blow up on it either.
    const N = 5000;
    for (const pattern of ['^\\d+$', 'a*b', '[a-z]+@[a-z]{2,10}\\.com', '^(cat|dog)\\w*x$']) {
      expect(isBacktrackingSafe(pattern, '')).toBe(true);
      const regex = pcreToJavaScript(toPcreRegex(pattern, ''));
      const started = performance.now();
      regex.test(`${'a'.repeat(N)}!`);
      regex.test(`${'1'.repeat(N)}!`);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
