/**
 * A preparation (the schema's migrations) run once and shared by every caller; a failed one is
 * forgotten, so the next call tries again (the database may be back by then). `skip` makes it
 * ready at once (`migrate: false`: someone else migrates).
 */
export class OnceReady {
  readonly #prepare: () => Promise<unknown>;
  #ready: Promise<void> | undefined;

  constructor(prepare: () => Promise<unknown>, skip = false) {
    this.#prepare = prepare;
    if (skip) this.#ready = Promise.resolve();
  }

  ready(): Promise<void> {
    this.#ready ??= this.#prepare().then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }
}
