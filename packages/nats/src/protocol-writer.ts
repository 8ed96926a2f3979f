import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Writes ready-made protocol bytes (whole `PUB` frames) into the connection's outbound buffer:
 * one write for a batch of thousands of messages, instead of one `publish` call each (each
 * builds a protocol string, encodes it and queues three small buffers). nats.js does not
 * publish this as API: its connection's protocol handler has `sendCommand(bytes)`, which
 * `publish` itself ends in. `protocolWriter` returns undefined when that is not there (another
 * nats.js version, a wrapped connection), and callers fall back to `publish` per message.
 */
export interface ProtocolWriter {
  /** The server's max_payload, as `publish` checks it (undefined before the first INFO). */
  readonly maxPayload: number | undefined;
  /** Queues `frames` (`messages` PUB frames, `payloadBytes` bytes of bodies) for sending. */
  write(frames: Uint8Array, messages: number, payloadBytes: number): void;
}

interface ProtocolHandler {
  sendCommand(command: Uint8Array): void;
  flushPending(): void;
  outMsgs: number;
  outBytes: number;
}

export function protocolWriter(nc: NatsConnection): ProtocolWriter | undefined {
  const handler = (nc as unknown as { protocol?: Partial<ProtocolHandler> }).protocol;
  if (
    handler === undefined ||
    typeof handler.sendCommand !== 'function' ||
    typeof handler.flushPending !== 'function' ||
    typeof handler.outMsgs !== 'number' ||
    typeof handler.outBytes !== 'number'
  )
    return undefined;
  const protocol = handler as ProtocolHandler;
  return {
    get maxPayload() {
      return nc.info?.max_payload;
    },
    write(frames, messages, payloadBytes) {
      // Keeps nc.stats() what it would be after as many publish calls.
      protocol.outMsgs += messages;
      protocol.outBytes += payloadBytes;
      // Sent on its own, not queued behind other commands: nats.js would copy everything queued
      // into one new buffer (fresh memory, page faults) to send it together.
      protocol.flushPending();
      protocol.sendCommand(frames);
      protocol.flushPending();
    },
  };
}
