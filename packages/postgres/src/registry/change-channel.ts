import { createHash } from 'node:crypto';

/**
 * The NOTIFY channel of a namespace: a hash, because channel names are identifiers of at most
 * 63 bytes and namespaces are free text. Payloads name their namespace, so a collision only
 * costs a listener a payload it drops.
 */
export function changeChannel(schemaName: string, namespace: string): string {
  const digest = createHash('sha256').update(`${schemaName}\u0000${namespace}`).digest('hex');
  return `muster_${digest.slice(0, 40)}`;
}
