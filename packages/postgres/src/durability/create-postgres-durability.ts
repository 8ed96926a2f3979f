import type { DurabilitySlot } from '@muster/core';
import { PostgresDurability, type PostgresDurabilityOptions } from './postgres-durability.js';

/** A PostgreSQL durability slot (see PostgresDurability). */
export function createPostgresDurability(options: PostgresDurabilityOptions = {}): DurabilitySlot {
  return new PostgresDurability(options);
}
