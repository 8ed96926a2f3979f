import type { IdentityRecord, RegistryChange } from '@muster/core';

/** One change in the event log. `_id` is the global, gap-free sequence number (see EventLog). */
export interface EventDocument {
  readonly _id: number;
  readonly ns: string;
  readonly type: RegistryChange['type'];
  readonly identity: string;
  readonly record?: IdentityRecord;
  readonly previous?: IdentityRecord;
  readonly at: number;
  /** Wall-clock write time: what retention goes by. */
  readonly writtenAt: Date;
  /** Which append wrote it (`<writer id>:<counter>`): how a writer finds its own events after a clash. */
  readonly token: string;
}

export function toChange(document: EventDocument): RegistryChange {
  return {
    type: document.type,
    namespace: document.ns,
    identity: document.identity,
    ...(document.record === undefined || document.record === null
      ? {}
      : { record: document.record }),
    ...(document.previous === undefined || document.previous === null
      ? {}
      : { previous: document.previous }),
    at: document.at,
  };
}
