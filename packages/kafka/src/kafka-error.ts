import { MusterError } from '@muster/core';

/** A kafkajs failure as the slot contract reports it: UNAVAILABLE with the cause kept. */
export function kafkaError(what: string, cause: unknown): MusterError {
  if (cause instanceof MusterError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new MusterError('UNAVAILABLE', `kafka: ${what} failed: ${detail}`, { cause });
}

export function closedError(slot: string): MusterError {
  return new MusterError('UNAVAILABLE', `the kafka ${slot} slot is closed`);
}

/** Rejects with UNAVAILABLE when `promise` takes longer than `timeoutMs`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new MusterError('UNAVAILABLE', `kafka: ${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
