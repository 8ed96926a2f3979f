import type { Message } from '@muster/core';

/** Most unacknowledged messages remembered per Subscribe stream; older ones are forgotten. */
const MAX_PENDING_PER_STREAM = 10_000;

interface Inbox {
  readonly pending: Map<string, Message>;
}

/**
 * The messages sent on this server's open Subscribe streams and not yet acknowledged, so that an
 * Ack call (a separate unary RPC: browsers cannot send on a server stream) can acknowledge them.
 * An Ack must therefore reach the server instance that holds the stream.
 */
export class OpenInboxes {
  readonly #inboxes = new Map<string, Set<Inbox>>();

  open(namespace: string, identity: string): { remember(message: Message): void; close(): void } {
    const key = keyOf(namespace, identity);
    const inbox: Inbox = { pending: new Map() };
    const set = this.#inboxes.get(key) ?? new Set<Inbox>();
    this.#inboxes.set(key, set);
    set.add(inbox);
    return {
      remember: (message) => {
        inbox.pending.set(message.messageId, message);
        if (inbox.pending.size > MAX_PENDING_PER_STREAM) {
          const oldest = inbox.pending.keys().next();
          if (oldest.done !== true) inbox.pending.delete(oldest.value);
        }
      },
      close: () => {
        set.delete(inbox);
        if (set.size === 0 && this.#inboxes.get(key) === set) this.#inboxes.delete(key);
      },
    };
  }

  /** Acknowledges what it can; returns the ids it has no pending message for. */
  async ack(
    namespace: string,
    identity: string,
    messageIds: readonly string[],
  ): Promise<{ acked: number; unknown: string[] }> {
    const inboxes = this.#inboxes.get(keyOf(namespace, identity));
    const unknown: string[] = [];
    const acks: Promise<void>[] = [];
    for (const id of messageIds) {
      let message: Message | undefined;
      for (const inbox of inboxes ?? []) {
        message = inbox.pending.get(id);
        if (message !== undefined) {
          inbox.pending.delete(id);
          break;
        }
      }
      if (message === undefined) unknown.push(id);
      else acks.push(message.ack());
    }
    await Promise.all(acks);
    return { acked: acks.length, unknown };
  }
}

function keyOf(namespace: string, identity: string): string {
  return `${namespace}\u0000${identity}`;
}
