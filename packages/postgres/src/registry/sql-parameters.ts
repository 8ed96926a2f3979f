/** Bind parameters of a statement being built: `add` returns the placeholder (`$n`). */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** The number the next placeholder will get (for compilers that number their own). */
  get next(): number {
    return this.values.length + 1;
  }
}
