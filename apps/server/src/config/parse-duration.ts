const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A configured duration in milliseconds: a number is seconds (RFC-017 writes `ttl_default: 300`),
 * a string a number with a unit (`100ms`, `30s`, `5m`, `2h`, `7d`). Undefined when malformed.
 */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (match === null) return undefined;
  return Number(match[1]) * UNITS[match[2]!]!;
}
