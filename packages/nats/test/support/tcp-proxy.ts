import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy in front of a NATS server: `cut()` drops every connection through it at once
 * (clients see their socket close, as on a network failure, and reconnect through it).
 */
export class TcpProxy {
  readonly #server: Server;
  /** Client-side sockets (one per connection through the proxy) and their upstream halves. */
  readonly #sockets = new Set<Socket>();
  readonly #upstreams = new Set<Socket>();
  port = 0;

  private constructor(targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = tcpConnect(targetPort, '127.0.0.1');
      this.#sockets.add(client);
      client.on('close', () => this.#sockets.delete(client));
      client.pipe(upstream).pipe(client);
      this.#upstreams.add(upstream);
      upstream.on('close', () => this.#upstreams.delete(upstream));
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
  }

  static async open(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    const address = proxy.#server.address();
    proxy.port = typeof address === 'object' && address !== null ? address.port : 0;
    return proxy;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Drops every open connection (returns how many); new ones are accepted again at once. */
  cut(): number {
    const count = this.#sockets.size;
    for (const socket of [...this.#sockets, ...this.#upstreams]) socket.destroy();
    this.#sockets.clear();
    this.#upstreams.clear();
    return count;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
