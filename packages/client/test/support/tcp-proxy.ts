import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /** Cuts every open connection, as a network loss would. */
  dropConnections(): void;
  /** While down, new connections are cut at once (a network that stays down). */
  setDown(down: boolean): void;
  readonly connections: number;
  close(): Promise<void>;
}

/** A TCP proxy in front of a server, to cut the client's connections in tests. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  let connections = 0;
  const server = createServer((inbound) => {
    if (down) {
      inbound.destroy();
      return;
    }
    connections++;
    const outbound = connect(targetPort, '127.0.0.1');
    sockets.add(inbound);
    sockets.add(outbound);
    const cut = (): void => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', cut).on('close', cut);
    outbound.on('error', cut).on('close', cut);
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    dropConnections() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    setDown(value) {
      down = value;
    },
    get connections() {
      return connections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
