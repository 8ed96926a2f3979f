import { createHash } from 'node:crypto';

/**
 * The NOTIFY channel announcing new durable messages of a namespace: a hash, like the
 * registry's change channel (a different prefix, so the two never share a channel).
 */
export function queueChannel(schemaName: string, namespace: string): string {
  const digest = createHash('sha256').update(`${schemaName}\u0000${namespace}`).digest('hex');
  return `muster_q_${digest.slice(0, 40)}`;
}
