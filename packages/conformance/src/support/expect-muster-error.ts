import { MusterError, type MusterErrorCode } from '@muster/core';
import { expect } from 'vitest';

/** Awaits `action` and asserts that it rejects with a MusterError of `code`; returns the error. */
export async function expectMusterError(
  action: Promise<unknown>,
  code: MusterErrorCode,
  what = 'the call',
): Promise<MusterError> {
  let outcome: unknown;
  try {
    outcome = await action;
  } catch (error) {
    expect(
      MusterError.is(error),
      `${what} must reject with a MusterError ${code}, not ${describeError(error)}`,
    ).toBe(true);
    expect((error as MusterError).code, `${what}: ${(error as Error).message}`).toBe(code);
    return error as MusterError;
  }
  return expect.fail(
    `${what} must reject with a MusterError ${code}, but it resolved with ${safeJson(outcome)}`,
  );
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return safeJson(error);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
