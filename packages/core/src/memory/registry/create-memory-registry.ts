import type { RegistrySlot } from '../../slots/registry-slot.js';
import { MemoryRegistry, type MemoryRegistryOptions } from './memory-registry.js';

/** A new, empty in-memory registry slot (the embedded default). */
export function createMemoryRegistry(options?: MemoryRegistryOptions): RegistrySlot {
  return new MemoryRegistry(options);
}
