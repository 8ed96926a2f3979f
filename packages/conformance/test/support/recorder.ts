import type { SuiteDescribe, SuiteTest } from '../../src/index.js';

export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly error?: string;
}

/**
 * A `test`/`describe` pair that records the kit's cases instead of registering them with vitest,
 * then runs them one by one and reports which passed: how the kit's own tests check that a
 * broken adapter fails the right cases.
 */
export function createRecorder() {
  const cases: { name: string; fn: () => Promise<void>; timeout: number }[] = [];
  const prefix: string[] = [];
  const test: SuiteTest = (name, fn, timeout = 30_000) => {
    cases.push({ name: [...prefix, name].join(' > '), fn, timeout });
  };
  const describe: SuiteDescribe = (name, fn) => {
    prefix.push(name);
    try {
      fn();
    } finally {
      prefix.pop();
    }
  };
  async function run(): Promise<CaseResult[]> {
    const results: CaseResult[] = [];
    for (const { name, fn, timeout } of cases) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          fn(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout);
          }),
        ]);
        results.push({ name, passed: true });
      } catch (error) {
        results.push({
          name,
          passed: false,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        clearTimeout(timer);
      }
    }
    return results;
  }
  return { test, describe, cases, run };
}

/** Names of the cases that failed. */
export function failedNames(results: readonly CaseResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => result.name);
}
