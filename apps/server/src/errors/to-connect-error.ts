import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { MusterError, type MusterErrorCode } from '@muster/core';
import { rpcError } from './rpc-error.js';

/** How each Muster code travels as a gRPC/Connect status code. */
export const CONNECT_CODES: Readonly<Record<MusterErrorCode, Code>> = Object.freeze({
  INVALID_ARGUMENT: Code.InvalidArgument,
  INVALID_FILTER: Code.InvalidArgument,
  INVALID_METADATA: Code.InvalidArgument,
  ALREADY_EXISTS: Code.AlreadyExists,
  NOT_FOUND: Code.NotFound,
  QUOTA_EXCEEDED: Code.ResourceExhausted,
  PERMISSION_DENIED: Code.PermissionDenied,
  UNAVAILABLE: Code.Unavailable,
  TIMEOUT: Code.DeadlineExceeded,
  CANCELLED: Code.Canceled,
  UNSUPPORTED: Code.Unimplemented,
  INTERNAL: Code.Internal,
});

/**
 * Any error a handler meets, as the ConnectError the client receives. A MusterError keeps its
 * message, code and details; a ConnectError passes through; anything else is an INTERNAL error
 * whose message is not sent (it may name hosts or credentials) and is logged by the caller.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (MusterError.is(error))
    return rpcError(
      CONNECT_CODES[error.code] ?? Code.Internal,
      error.code,
      error.message,
      toJson(error.details),
    );
  return rpcError(Code.Internal, 'INTERNAL', 'internal error');
}

/** Details as JSON: values that do not survive JSON (functions, causes, bigints) are left out. */
function toJson(details: Readonly<Record<string, unknown>>): JsonObject {
  try {
    const json: unknown = JSON.parse(
      JSON.stringify(details, (_key, value: unknown) =>
        typeof value === 'bigint' ? String(value) : value,
      ),
    );
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as { [key: string]: JsonValue })
      : {};
  } catch {
    return {};
  }
}
