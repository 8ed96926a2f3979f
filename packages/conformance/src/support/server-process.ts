import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to run one kind of server for `ServerProcess`. */
export interface ServerCommand {
  /** Names the temporary data directory and the errors (`redis-server`, `nats-server`...). */
  readonly name: string;
  readonly binary: string;
  /** The command line for a port and a data directory. */
  args(port: number, dir: string): readonly string[];
  url(port: number): string;
  /** Resolves once the server serves requests (not just listens); rejects while it does not. */
  probe(url: string): Promise<void>;
}

/** A free TCP port on loopback, as the OS hands one out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A private server on a free port with its data in a temporary directory, for fault tests that
 * stop and restart it (a shared test server is never touched). `stop` and `start` keep the port
 * and the data, as a restarted production server would. Stopped by process id.
 */
export class ServerProcess {
  readonly port: number;
  readonly dir: string;
  readonly #command: ServerCommand;
  #child: ChildProcess | undefined;

  private constructor(command: ServerCommand, port: number, dir: string) {
    this.#command = command;
    this.port = port;
    this.dir = dir;
  }

  static async launch(command: ServerCommand): Promise<ServerProcess> {
    const server = new ServerProcess(
      command,
      await freePort(),
      mkdtempSync(join(tmpdir(), `muster-${command.name}-`)),
    );
    await server.start();
    return server;
  }

  get url(): string {
    return this.#command.url(this.port);
  }

  async start(): Promise<void> {
    if (this.#child !== undefined) return;
    const { binary, name } = this.#command;
    const child = spawn(binary, [...this.#command.args(this.port, this.dir)], { stdio: 'ignore' });
    this.#child = child;
    child.on('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await this.#command.probe(this.url);
        return;
      } catch (error) {
        if (this.#child !== child)
          throw new Error(`${name} on ${this.port} exited`, { cause: error });
        if (Date.now() > deadline)
          throw new Error(`${name} on ${this.port} did not start`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Stops the server: SIGTERM by default (a clean shutdown), or the signal given. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
