import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The nats-server binary: NATS_SERVER_BIN, the Debian path, or whatever PATH has. */
function serverBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
}

async function freePort(): Promise<number> {
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
 * A private nats-server with JetStream on a free port and a temporary store directory, for
 * tests that stop and restart it (the shared server on 4222 is never touched). `stop` and
 * `start` keep the port and the store, as a restarted production server would.
 */
export class NatsServerProcess {
  readonly port: number;
  readonly storeDir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, storeDir: string) {
    this.port = port;
    this.storeDir = storeDir;
  }

  static async launch(): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'muster-nats-')),
    );
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.#child !== undefined) return;
    const child = spawn(
      serverBinary(),
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir],
      { stdio: 'ignore' },
    );
    this.#child = child;
    child.on('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const probe = await connect({ servers: this.url, reconnect: false, timeout: 500 });
        try {
          // Ready means JetStream answers too, not just the listener.
          await (await jetstreamManager(probe, { timeout: 1_000 })).getAccountInfo();
        } finally {
          await probe.close();
        }
        return;
      } catch (error) {
        if (this.#child !== child)
          throw new Error(`nats-server on ${this.port} exited`, { cause: error });
        if (Date.now() > deadline)
          throw new Error(`nats-server on ${this.port} did not start`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Stops the server: SIGTERM (a clean shutdown that syncs JetStream), by process id. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
