import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `30s`, `5m`, `1h` or a bare number of seconds, as milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null)
    throw new InvalidArgumentError(`"${text}" is not a duration (e.g. 500ms, 30s, 5m, 1h)`);
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']!;
  return Math.round(ms);
}
