import { FilterError, validateMetadata } from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';
import type { Metadata } from '../slots/identity-record.js';
import { applyIdentitySchema } from './apply-identity-schema.js';
import type { IdentitySchema } from './identity-schema.js';
import { measureMetadata } from './measure-metadata.js';

/** The parts of a namespace's configuration that govern metadata (a NamespaceConfig fits). */
export interface MetadataRules {
  /** Largest metadata, as UTF-8 JSON bytes. */
  readonly maxMetadataBytes: number;
  /** Deepest nesting; the metadata object itself is depth 1, `{a: {b: 1}}` is depth 2. */
  readonly maxMetadataDepth: number;
  readonly schema?: IdentitySchema;
}

/**
 * Checks metadata for register: the depth limit (first, so cycles and absurd nesting never
 * overflow the stack), @muster/filter's metadata rules (`validateMetadata`; its FilterError
 * becomes the cause, `details.field` the dotted path), the byte limit, then the optional identity
 * schema. `undefined` means `{}`. Returns the metadata to store, completed and normalised by the
 * schema; the input is never mutated. Every error is INVALID_METADATA.
 */
export function checkMetadata(metadata: unknown, rules: MetadataRules, now: number): Metadata {
  const input = metadata === undefined ? {} : metadata;
  const bound = checkRules(input, rules);
  const valid = input as Metadata;
  if (rules.schema === undefined) return valid;
  const completed = applyIdentitySchema(valid, rules.schema, now);
  if (completed !== valid) checkCompleted(valid, completed, bound, rules);
  return completed;
}

/**
 * Defaults and normalised timestamps change the size, and a bad default must not be stored
 * either: the fields the schema set are measured on their own and their bound added; only when
 * the total may exceed the limit is the whole completed metadata checked again.
 */
function checkCompleted(
  valid: Metadata,
  completed: Metadata,
  bound: number,
  rules: MetadataRules,
): void {
  let total = bound;
  for (const key in completed) {
    if (valid[key] === completed[key] && Object.hasOwn(valid, key)) continue;
    const measure = measureMetadata({ [key]: completed[key] }, rules.maxMetadataDepth);
    if (!measure.valid || measure.tooDeepAt !== undefined) {
      checkRules(completed, rules); // throws the precise error
      return;
    }
    total += measure.bytes;
  }
  if (total > rules.maxMetadataBytes) checkRules(completed, rules);
}

/** Throws unless the metadata follows the rules; returns an upper bound of its size. */
function checkRules(metadata: unknown, rules: MetadataRules): number {
  // The walk agrees with validateMetadata and is several times faster, so validateMetadata
  // runs only to explain a failure; sizes are bounded cheaply and counted only near the limit.
  const measure = measureMetadata(metadata, rules.maxMetadataDepth);
  if (measure.tooDeepAt !== undefined) {
    const field = measure.tooDeepAt.join('.');
    throw new MusterError(
      'INVALID_METADATA',
      `metadata is nested deeper than maxMetadataDepth (${rules.maxMetadataDepth}) at ${field === '' ? 'the top level' : JSON.stringify(field)}`,
      {
        details: {
          ...(field === '' ? {} : { field }),
          limit: 'maxMetadataDepth',
          max: rules.maxMetadataDepth,
        },
      },
    );
  }
  if (!measure.valid) throw explain(metadata);
  if (measure.bytes <= rules.maxMetadataBytes) return measure.bytes;
  // The cheap bound is over the limit: count exactly.
  const bytes = measureMetadata(metadata, rules.maxMetadataDepth, true).bytes;
  if (bytes > rules.maxMetadataBytes)
    throw new MusterError(
      'INVALID_METADATA',
      `metadata is ${bytes} bytes as UTF-8 JSON, more than maxMetadataBytes (${rules.maxMetadataBytes})`,
      { details: { limit: 'maxMetadataBytes', max: rules.maxMetadataBytes, actual: bytes } },
    );
  return bytes;
}

function explain(metadata: unknown): MusterError {
  try {
    validateMetadata(metadata);
  } catch (error) {
    if (FilterError.is(error)) {
      const path = error.details.path ?? [];
      return new MusterError('INVALID_METADATA', error.message, {
        cause: error,
        details: { ...error.details, ...(path.length === 0 ? {} : { field: path.join('.') }) },
      });
    }
    return new MusterError('INVALID_METADATA', 'metadata is not a JSON value', { cause: error });
  }
  return new MusterError('INVALID_METADATA', 'metadata breaks the metadata rules');
}
