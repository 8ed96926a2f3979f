import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { reportSubjects } from '../../src/report-subjects.js';

/** Deletes the report and marks streams of `prefix` (cleanup of the shared server); how many there were. */
export async function deleteReportStreams(servers: string, prefix: string): Promise<number> {
  const nc = await connect({ servers, reconnect: false });
  try {
    const manager = await jetstreamManager(nc);
    const { reportStream, marksStream } = reportSubjects(prefix);
    let deleted = 0;
    for (const name of [reportStream, marksStream]) {
      try {
        if (await manager.streams.delete(name)) deleted++;
      } catch (error) {
        if (
          !(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
        )
          throw error;
      }
    }
    return deleted;
  } finally {
    await nc.close();
  }
}
