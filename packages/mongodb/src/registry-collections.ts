import type { Collection, Db } from 'mongodb';
import type { EventDocument } from './event-document.js';
import type { IdentityDocument } from './identity-document.js';

/** The two collections of one registry: identities and the change-event log. */
export interface RegistryCollections {
  readonly identities: Collection<IdentityDocument>;
  readonly events: Collection<EventDocument>;
}

export function registryCollections(db: Db, prefix: string): RegistryCollections {
  return {
    identities: db.collection<IdentityDocument>(`${prefix}identities`),
    events: db.collection<EventDocument>(`${prefix}events`),
  };
}
