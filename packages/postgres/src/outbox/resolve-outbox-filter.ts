import { MusterError } from '@muster/core';
import { FilterError, type FilterNode, nodes, parse, toJsonForm } from '@muster/filter';

/** A filter as the outbox takes it: the filter syntax, the JSON form, or a parsed AST. */
export type OutboxFilterInput = string | Readonly<Record<string, unknown>> | FilterNode;

/**
 * The AST of a filter input, checked against the default limits: strings and JSON forms are
 * parsed; an AST (a frozen node, as `parse` and `nodes` make) goes through its JSON form, so
 * a hand-made one is checked the same way. Undefined matches everything. INVALID_FILTER
 * otherwise, with the FilterError as cause.
 */
export function resolveOutboxFilter(input: OutboxFilterInput | undefined): FilterNode {
  if (input === undefined) return nodes.all();
  try {
    return parse(isAst(input) ? toJsonForm(input) : input);
  } catch (error) {
    if (FilterError.is(error))
      throw new MusterError('INVALID_FILTER', error.message, {
        details: { field: 'filter', ...error.details },
        cause: error,
      });
    throw new MusterError('INVALID_FILTER', 'the filter is not valid', {
      details: { field: 'filter' },
      cause: error,
    });
  }
}

function isAst(input: unknown): input is FilterNode {
  return (
    typeof input === 'object' &&
    input !== null &&
    Object.isFrozen(input) &&
    typeof (input as { kind?: unknown }).kind === 'string'
  );
}
