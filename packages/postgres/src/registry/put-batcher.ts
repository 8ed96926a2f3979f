/** The most puts one batch statement carries (its arrays stay well inside one message). */
export const MAX_PUT_BATCH = 500;

/** What one item of a batch came to: a value, or the error that item alone failed with. */
export type BatchOutcome<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: unknown };

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces the puts made in the same event-loop turn into batches, one statement (so one round
 * trip and one commit) each, instead of one statement per put.
 *
 * Per namespace, the puts of a turn are cut into phases in call order, a new phase where an
 * identity repeats, so no phase holds one identity twice and its items are independent of each
 * other; a phase is sent as batches of at most `maxBatch` items, side by side. The phases of a
 * namespace run one after another, so the puts of a turn take effect in the order they were
 * made (a quota-free put only depends on earlier puts of its own identity); namespaces run side
 * by side.
 */
export class PutBatcher<T extends { readonly identity: string }, R> {
  readonly #run: (namespace: string, items: readonly T[]) => Promise<readonly BatchOutcome<R>[]>;
  readonly #maxBatch: number;
  #queues = new Map<string, Waiting<T, R>[]>();
  #scheduled = false;

  constructor(
    run: (namespace: string, items: readonly T[]) => Promise<readonly BatchOutcome<R>[]>,
    maxBatch: number = MAX_PUT_BATCH,
  ) {
    this.#run = run;
    this.#maxBatch = maxBatch;
  }

  /** Queues one put; resolves with its outcome once its batch ran. */
  submit(namespace: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.#queues.get(namespace);
      if (queue === undefined) {
        queue = [];
        this.#queues.set(namespace, queue);
      }
      queue.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // After the microtasks of this turn: callers resumed by the previous batch put again
        // through several awaits, and all of them should land in the next batch together.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queues = this.#queues;
    this.#queues = new Map();
    for (const [namespace, queue] of queues)
      void this.#runInOrder(namespace, splitPhases(queue, this.#maxBatch));
  }

  /** Phases one after another; the batches of a phase (distinct identities) side by side. */
  async #runInOrder(namespace: string, phases: readonly Waiting<T, R>[][][]): Promise<void> {
    for (const batches of phases)
      await Promise.all(batches.map((batch) => this.#runBatch(namespace, batch)));
  }

  async #runBatch(namespace: string, batch: readonly Waiting<T, R>[]): Promise<void> {
    try {
      const outcomes = await this.#run(
        namespace,
        batch.map((waiting) => waiting.item),
      );
      batch.forEach((waiting, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) waiting.reject(new Error('the batch lost an item'));
        else if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

/**
 * Cuts a queue into phases in call order, a new one before an identity already in the phase;
 * then each phase into batches of at most `max` items, of even sizes (512 puts make two batches
 * of 256, not 500 and 12). The items of a phase are independent, so its batches may run at once.
 */
export function splitPhases<W extends { readonly item: { readonly identity: string } }>(
  queue: readonly W[],
  max: number,
): W[][][] {
  const phases: W[][] = [];
  let phase: W[] = [];
  let identities = new Set<string>();
  for (const waiting of queue) {
    const identity = waiting.item.identity;
    if (identities.has(identity)) {
      phases.push(phase);
      phase = [];
      identities = new Set();
    }
    phase.push(waiting);
    identities.add(identity);
  }
  if (phase.length > 0) phases.push(phase);
  return phases.map((items) => {
    const count = Math.ceil(items.length / max);
    const size = Math.ceil(items.length / count);
    return Array.from({ length: count }, (_, i) => items.slice(i * size, (i + 1) * size));
  });
}
