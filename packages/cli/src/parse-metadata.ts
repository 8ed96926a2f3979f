import { UsageError } from './usage-error.js';

/** A value as typed: JSON when it parses (`0.2`, `true`, `["a"]`, `"1.0"`), else the text. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Metadata from `--metadata '{"a":1}'` and repeated `-m key=value` (a dotted key makes nested
 * objects: `-m location.building=HQ`), the pairs applied over the JSON object.
 */
export function parseMetadata(
  json: string | undefined,
  pairs: readonly string[],
): Record<string, unknown> {
  let metadata: Record<string, unknown> = {};
  if (json !== undefined) {
    const parsed = parseValue(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new UsageError('--metadata must be a JSON object');
    metadata = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`-m expects key=value, got "${pair}"`);
    const path = pair.slice(0, equals).split('.');
    let target = metadata;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = parseValue(pair.slice(equals + 1));
  }
  return metadata;
}
