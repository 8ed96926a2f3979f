import { existsSync } from 'node:fs';
import { type ServerCommand, ServerProcess } from '@muster/conformance';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The nats-server binary: NATS_SERVER_BIN, the Debian path, or whatever PATH has. */
function serverBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
}

/** A private nats-server with JetStream and its store in the process's directory. */
const NATS_SERVER: ServerCommand = {
  name: 'nats-server',
  binary: serverBinary(),
  args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
  url: (port) => `nats://127.0.0.1:${port}`,
  async probe(url) {
    const probe = await connect({ servers: url, reconnect: false, timeout: 500 });
    try {
      // Ready means JetStream answers too, not just the listener.
      await (await jetstreamManager(probe, { timeout: 1_000 })).getAccountInfo();
    } finally {
      await probe.close();
    }
  },
};

export const NatsServerProcess = {
  launch: (): Promise<ServerProcess> => ServerProcess.launch(NATS_SERVER),
};
