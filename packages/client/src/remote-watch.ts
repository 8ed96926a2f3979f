import type { WatchResponse } from '@muster/api';
import { AsyncChannel } from './async-channel.js';
import type { Watch, WatchEvent, WatchRequest } from './client-api.js';
import { MusterError } from './muster-error.js';
import { type OpenStream, openStream } from './open-stream.js';
import type { RegistryClient } from './registry-client.js';
import { toMusterError } from './to-muster-error.js';
import { fromWireWatchEvent, toWireFilter } from './wire.js';

/**
 * A filter's change events over one Watch stream. It does not reconnect: changes made while the
 * connection is down cannot be replayed, so the iteration ends with the error (UNAVAILABLE) and
 * the caller watches again (with `initial: true` to rebuild its view).
 */
export class RemoteWatch implements Watch {
  readonly #channel: AsyncChannel<WatchEvent>;
  readonly #stream: OpenStream<WatchResponse>;
  #closed = false;

  private constructor(stream: OpenStream<WatchResponse>) {
    this.#stream = stream;
    this.#channel = new AsyncChannel<WatchEvent>(() => this.close());
  }

  static async open(
    service: RegistryClient,
    namespace: string,
    request: WatchRequest,
  ): Promise<RemoteWatch> {
    const { signal } = request;
    if (signal?.aborted === true)
      throw new MusterError('CANCELLED', 'the watch was cancelled before it started');
    const filter = toWireFilter(request.filter);
    const stream = await openStream(
      (streamSignal) =>
        service.watch(
          { namespace, initial: request.initial ?? false, ...(filter && { filter }) },
          { signal: streamSignal },
        ),
      (response) => response.event.case === 'started',
    );
    const watch = new RemoteWatch(stream);
    signal?.addEventListener('abort', () => void watch.close(), { once: true });
    void watch.#run();
    return watch;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this.#channel;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream.controller.abort();
    this.#channel.end();
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#stream.responses.next();
        if (done === true) break;
        if (value.event.case === 'change')
          this.#channel.push(fromWireWatchEvent(value.event.value));
      }
      if (!this.#closed)
        this.#channel.fail(new MusterError('UNAVAILABLE', 'the server ended the watch stream'));
    } catch (error) {
      if (!this.#closed) this.#channel.fail(toMusterError(error));
    }
  }
}
