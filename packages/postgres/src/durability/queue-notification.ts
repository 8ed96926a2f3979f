/** What an enqueue announces: the namespace and the identities that have new messages. */
export interface QueueNotification {
  readonly n: string;
  readonly i: readonly string[];
}

/** NOTIFY payloads stay below 8,000 bytes; leave room for the JSON around the identities. */
const MAX_PAYLOAD_BYTES = 7_000;

/** Splits the identities of one enqueue into payloads that each fit a NOTIFY. */
export function encodeQueueNotifications(
  namespace: string,
  identities: Iterable<string>,
): string[] {
  const payloads: string[] = [];
  const base = Buffer.byteLength(JSON.stringify({ n: namespace, i: [] }));
  let batch: string[] = [];
  let size = base;
  for (const identity of identities) {
    const cost = Buffer.byteLength(JSON.stringify(identity)) + 1;
    if (batch.length > 0 && size + cost > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ n: namespace, i: batch }));
      batch = [];
      size = base;
    }
    batch.push(identity);
    size += cost;
  }
  if (batch.length > 0) payloads.push(JSON.stringify({ n: namespace, i: batch }));
  return payloads;
}

/** The notification in a payload, or undefined for anything else on the channel. */
export function parseQueueNotification(payload: string | undefined): QueueNotification | undefined {
  if (payload === undefined) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<QueueNotification>;
    if (typeof value.n !== 'string' || !Array.isArray(value.i)) return undefined;
    return { n: value.n, i: value.i.filter((identity) => typeof identity === 'string') };
  } catch {
    return undefined;
  }
}
