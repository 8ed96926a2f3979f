import { encodeIdentityToken } from '@muster/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { reportSubjects } from '../../src/report-subjects.js';

/**
 * Deletes every stream a test run created under `prefix` (queues, reports and marks): cleanup of
 * the shared server.
 */
export async function deleteStreams(servers: string, prefix: string): Promise<number> {
  const nc = await connect({ servers, reconnect: false });
  try {
    const manager = await jetstreamManager(nc);
    const start = `${encodeIdentityToken(prefix)}_Q_`;
    const { reportStream, marksStream } = reportSubjects(prefix);
    const names: string[] = [];
    for await (const name of manager.streams.names())
      if (name.startsWith(start) || name === reportStream || name === marksStream) names.push(name);
    await Promise.all(names.map((name) => manager.streams.delete(name)));
    return names.length;
  } finally {
    await nc.close();
  }
}
