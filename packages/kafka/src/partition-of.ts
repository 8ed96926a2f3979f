/**
 * The partition of an identity's records: FNV-1a of its key. Chosen here rather than by the
 * producer so the slot knows, for every record of a batch, which partition (and so which
 * offset) it lands on.
 */
export function partitionOf(key: string, partitions: number): number {
  if (partitions === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
