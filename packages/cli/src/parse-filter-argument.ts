import type { FilterInput } from '@muster/client';
import { UsageError } from './usage-error.js';

/**
 * A filter as typed: text starting with `{` is the JSON form, anything else the string syntax
 * (the server checks both and answers INVALID_FILTER with the position of a mistake).
 */
export function parseFilterArgument(text: string | undefined): FilterInput | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`the filter looks like JSON but does not parse: ${String(error)}`);
  }
}
