import { createClient as createConnectClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { RegistryService } from '@muster/api';
import type { ClientOptions, MusterClient, NamespaceClient } from './client-api.js';
import { MusterError } from './muster-error.js';
import { RemoteNamespace } from './remote-namespace.js';
import { withBearerToken } from './with-bearer-token.js';

/**
 * A client of a Muster server. By default it speaks Connect over `fetch` (browsers and Node);
 * pass `transport` for another (connect-node's gRPC transport, say).
 *
 * ```ts
 * const iot = createClient({ baseUrl: 'http://127.0.0.1:7070', token }).namespace('iot');
 * await iot.enumerate({ filter: 'battery_level < 0.2' });
 * ```
 */
export function createClient(options: ClientOptions): MusterClient {
  let transport = options.transport;
  if (transport === undefined) {
    if (options.baseUrl === undefined)
      throw new MusterError('INVALID_ARGUMENT', 'createClient needs a baseUrl or a transport', {
        details: { field: 'baseUrl' },
      });
    transport = createConnectTransport({
      baseUrl: options.baseUrl,
      useBinaryFormat: options.useBinaryFormat ?? false,
      ...(options.fetch && { fetch: options.fetch }),
    });
  }
  if (options.token !== undefined) transport = withBearerToken(transport, options.token);
  const service = createConnectClient(RegistryService, transport);
  return {
    namespace(name: string): NamespaceClient {
      return new RemoteNamespace(service, name);
    },
  };
}
