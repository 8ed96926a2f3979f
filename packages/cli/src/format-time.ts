/** An epoch-ms time as ISO 8601, or "-" for none. */
export function formatTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString();
}

/** An expiry relative to now: "in 28s", "in 4m", "expired", or "never". */
export function formatExpiry(ms: number | null, now: number = Date.now()): string {
  if (ms === null) return 'never';
  const left = ms - now;
  if (left <= 0) return 'expired';
  if (left < 60_000) return `in ${Math.ceil(left / 1000)}s`;
  if (left < 3_600_000) return `in ${Math.round(left / 60_000)}m`;
  return `in ${Math.round(left / 3_600_000)}h`;
}
