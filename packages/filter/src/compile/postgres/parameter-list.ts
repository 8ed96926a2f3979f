/**
 * Collects bind parameters and hands out `$n` placeholders, starting after the caller's own
 * parameters. Equal texts share one placeholder, which keeps repeated leaves cheap to plan.
 */
export class ParameterList {
  readonly values: string[] = [];
  readonly #first: number;
  readonly #indexOf = new Map<string, number>();

  constructor(firstParameter: number) {
    if (!Number.isSafeInteger(firstParameter) || firstParameter < 1) {
      throw new RangeError(`toSql: firstParameter must be an integer >= 1, not ${firstParameter}`);
    }
    this.#first = firstParameter;
  }

  /** Adds a text parameter and returns its placeholder, e.g. `$3`. */
  add(value: string): string {
    let index = this.#indexOf.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#indexOf.set(value, index);
    }
    return `$${this.#first + index}`;
  }
}
