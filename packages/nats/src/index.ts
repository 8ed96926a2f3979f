export type { JetStreamDurabilityOptions } from './jetstream-durability.js';
export {
  createJetStreamDurability,
  JETSTREAM_DURABILITY_SUPPORTS,
} from './jetstream-durability.js';
export { createNatsMessaging, NATS_MESSAGING_SUPPORTS } from './nats-messaging.js';
export type { NatsSlotOptions } from './nats-slot-options.js';
export { DEFAULT_OPERATION_TIMEOUT_MS, DEFAULT_SUBJECT_PREFIX } from './nats-slot-options.js';
export type { StreamStorage } from './stream-config.js';
export {
  messagingSubjectBase,
  notifySubjectBase,
  queueSubjectBase,
  streamName,
} from './subjects.js';
