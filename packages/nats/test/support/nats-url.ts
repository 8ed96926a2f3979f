import { connect } from '@nats-io/transport-node';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Whether the shared NATS server answers. Locally an unreachable server skips the file (saying
 * why); in CI (`CI=true`) it fails instead.
 */
export async function natsReachable(): Promise<boolean> {
  try {
    const probe = await connect({ servers: NATS_URL, reconnect: false, timeout: 1_000 });
    await probe.close();
    return true;
  } catch (error) {
    if (process.env.CI === 'true')
      throw new Error(`NATS is unreachable at ${NATS_URL} (CI=true: failing, not skipping)`, {
        cause: error,
      });
    console.warn(`skipping: NATS is unreachable at ${NATS_URL}`);
    return false;
  }
}

/** A subject prefix no other run uses: test files and reruns never share streams or subjects. */
export function uniquePrefix(label: string): string {
  return `mt-${label}-${process.pid}-${Date.now().toString(36)}`;
}
