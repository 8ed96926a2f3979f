import type {
  CallOptions,
  HeartbeatResult,
  KeepAliveOptions,
  RegisterRequest,
  RegisterResult,
  Registration,
} from './client-api.js';
import { MusterError } from './muster-error.js';

/** What a registration needs of its namespace client. */
export interface RegistrationCalls {
  register(request: RegisterRequest, options?: CallOptions): Promise<RegisterResult>;
  heartbeat(
    identity: string,
    options?: CallOptions & { readonly ttlMs?: number },
  ): Promise<HeartbeatResult>;
  unregister(identity: string): Promise<{ readonly removed: boolean }>;
}

/** The shortest heartbeat interval, so that a tiny TTL does not turn into a busy loop. */
const MIN_INTERVAL_MS = 10;

/**
 * A registration and, with keep-alive, its heartbeats: one at a time (the next is scheduled when
 * the last has answered), every third of the TTL by default. A heartbeat that finds the identity
 * gone (it expired while the network was down) registers it again with the same metadata.
 */
export class KeepAliveRegistration implements Registration {
  readonly identity: string;
  readonly registeredAt: number;
  heartbeats = 0;
  #expiresAt: number | null;
  readonly #calls: RegistrationCalls;
  readonly #request: RegisterRequest;
  readonly #options: KeepAliveOptions | undefined;
  readonly #ttlMs: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #beat: Promise<void> | undefined;
  #closed = false;

  constructor(calls: RegistrationCalls, request: RegisterRequest, result: RegisterResult) {
    this.identity = result.identity;
    this.registeredAt = result.registeredAt;
    this.#expiresAt = result.expiresAt;
    this.#calls = calls;
    this.#request = request;
    const { keepAlive } = request;
    this.#options = keepAlive === true ? {} : keepAlive === false ? undefined : keepAlive;
    this.#ttlMs =
      request.ttlMs ??
      (result.expiresAt === null ? undefined : result.expiresAt - result.registeredAt);
    if (this.#options !== undefined) {
      if (this.#ttlMs === undefined && this.#options.intervalMs === undefined)
        throw new MusterError(
          'INVALID_ARGUMENT',
          'keep-alive needs a TTL (the identity was registered without one) or an intervalMs',
          { details: { field: 'keepAlive' } },
        );
      this.#schedule();
    }
  }

  get expiresAt(): number | null {
    return this.#expiresAt;
  }

  async close(options: { readonly unregister?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#beat;
    if (options.unregister ?? true) await this.#calls.unregister(this.identity);
  }

  #schedule(): void {
    const interval = Math.max(
      MIN_INTERVAL_MS,
      this.#options?.intervalMs ?? Math.floor((this.#ttlMs ?? 0) / 3),
    );
    this.#timer = setTimeout(() => {
      this.#beat = this.#heartbeat().finally(() => {
        this.#beat = undefined;
        if (!this.#closed) this.#schedule();
      });
    }, interval);
  }

  async #heartbeat(): Promise<void> {
    const ttl = this.#ttlMs === undefined ? {} : { ttlMs: this.#ttlMs };
    try {
      const result = await this.#calls.heartbeat(this.identity, ttl);
      this.#expiresAt = result.expiresAt;
      this.heartbeats++;
    } catch (error) {
      if (this.#closed) return;
      if (MusterError.is(error, 'NOT_FOUND') && this.#options?.reregister !== false) {
        try {
          const { keepAlive: _, ...request } = this.#request;
          const result = await this.#calls.register({ ...request, replace: true });
          this.#expiresAt = result.expiresAt;
        } catch (registerError) {
          this.#options?.onError?.(registerError);
        }
        return;
      }
      this.#options?.onError?.(error);
    }
  }
}
