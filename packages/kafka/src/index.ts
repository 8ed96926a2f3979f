export type { KafkaDurabilityOptions } from './kafka-durability.js';
export { createKafkaDurability, KAFKA_DURABILITY_SUPPORTS } from './kafka-durability.js';
export type { KafkaMessagingOptions } from './kafka-messaging.js';
export { createKafkaMessaging, KAFKA_MESSAGING_SUPPORTS } from './kafka-messaging.js';
export type { KafkaSlotOptions } from './kafka-slot-options.js';
export { topicName } from './topic-name.js';
