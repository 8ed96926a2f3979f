import type { Transport } from '@connectrpc/connect';
import type { ClientOptions } from './client-api.js';

type Token = NonNullable<ClientOptions['token']>;

async function headersWithToken(
  header: ConstructorParameters<typeof Headers>[0],
  token: Token,
): Promise<Headers> {
  const headers = new Headers(header);
  headers.set('authorization', `Bearer ${typeof token === 'string' ? token : await token()}`);
  return headers;
}

/**
 * The transport, sending the API key as `authorization: Bearer <token>` on every call. A wrapper
 * rather than an interceptor, so that it works on any transport the caller brings.
 */
export function withBearerToken(transport: Transport, token: Token): Transport {
  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const headers = await headersWithToken(header, token);
      return transport.unary(method, signal, timeoutMs, headers, input, contextValues);
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const headers = await headersWithToken(header, token);
      return transport.stream(method, signal, timeoutMs, headers, input, contextValues);
    },
  };
}
