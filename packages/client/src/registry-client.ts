import type { Client } from '@connectrpc/connect';
import type { RegistryService } from '@muster/api';

/** The generated ConnectRPC client of muster.v1.RegistryService. */
export type RegistryClient = Client<typeof RegistryService>;
