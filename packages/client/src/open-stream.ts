import { MusterError } from './muster-error.js';
import { toMusterError } from './to-muster-error.js';

export interface OpenStream<T> {
  readonly responses: AsyncIterator<T>;
  /** Aborting it ends the stream (and the HTTP request under it). */
  readonly controller: AbortController;
}

/**
 * Starts a server stream and waits for its first response, which must be the server's
 * "started" (the subscription or watch is live): only then is the stream handed out, so that a
 * multicast or registration made after `await` is seen by it.
 */
export async function openStream<T>(
  start: (signal: AbortSignal) => AsyncIterable<T>,
  isStarted: (response: T) => boolean,
): Promise<OpenStream<T>> {
  const controller = new AbortController();
  try {
    const responses = start(controller.signal)[Symbol.asyncIterator]();
    const first = await responses.next();
    if (first.done === true)
      throw new MusterError('UNAVAILABLE', 'the server ended the stream before it started');
    if (!isStarted(first.value))
      throw new MusterError('INTERNAL', 'the server did not start the stream with "started"');
    return { responses, controller };
  } catch (error) {
    controller.abort();
    throw toMusterError(error);
  }
}
