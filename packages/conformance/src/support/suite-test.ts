/**
 * The test registration function the suites call: vitest's `it` fits, and so does any function
 * that records `(name, fn)` pairs and runs them later (the kit's own tests do that).
 */
export type SuiteTest = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/** A `describe`-compatible grouping function (vitest's `describe` fits). */
export type SuiteDescribe = (name: string, fn: () => void) => void;

/** Something that can be closed: every slot. */
export interface Closable {
  close(): Promise<void>;
}
