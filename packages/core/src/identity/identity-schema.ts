/** A per-namespace schema for identity metadata (top-level fields). */
export interface IdentitySchema {
  readonly fields: Readonly<Record<string, FieldSchema>>;
  /** Whether fields not listed are allowed. Default true. */
  readonly additionalFields?: boolean;
}

export type FieldType = 'string' | 'number' | 'boolean' | 'enum' | 'array' | 'object' | 'timestamp';

export interface FieldSchema {
  readonly type: FieldType;
  readonly required?: boolean;
  /** For strings and timestamps: most characters; for arrays: most items. */
  readonly maxLength?: number;
  /** For enums: the allowed values (strings, numbers or booleans). */
  readonly values?: readonly (string | number | boolean)[];
  /** Used when the field is absent. */
  readonly default?: unknown;
  /** `now`: a timestamp set to the registration time when the field is absent. */
  readonly auto?: 'now';
  /** A hint for registry adapters to index this field (`supports.indexes`). */
  readonly index?: boolean;
}
