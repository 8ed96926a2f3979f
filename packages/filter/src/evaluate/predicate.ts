/** A compiled filter: true when the metadata object matches. */
export type Predicate = (metadata: Readonly<Record<string, unknown>>) => boolean;
