/** First retry waits up to this long; each further retry doubles the ceiling. */
export const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 2000;

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^retry)), so many
 * coordinators retrying against a backend that just came back do not arrive in step.
 */
export function retryDelay(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** retry));
}
