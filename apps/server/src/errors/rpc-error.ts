import type { JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { ERROR_CODE_HEADER, ErrorDetailSchema } from '@muster/api';

/** Codes the server adds to MusterErrorCode: failures of authentication and rate limits. */
export type ServerErrorCode = 'UNAUTHENTICATED' | 'RATE_LIMITED';

/**
 * A ConnectError carrying the Muster code twice: as a `muster.v1.ErrorDetail` error detail
 * (with the details, e.g. a filter error's location) and in the `muster-error-code` header,
 * which reaches clients that cannot decode details (curl, a gRPC client without the .proto).
 */
export function rpcError(
  code: Code,
  musterCode: string,
  message: string,
  details: JsonObject = {},
): ConnectError {
  return new ConnectError(message, code, { [ERROR_CODE_HEADER]: musterCode }, [
    { desc: ErrorDetailSchema, value: { code: musterCode, details } },
  ]);
}

export function unauthenticated(message: string): ConnectError {
  return rpcError(Code.Unauthenticated, 'UNAUTHENTICATED', message);
}

export function permissionDenied(message: string): ConnectError {
  return rpcError(Code.PermissionDenied, 'PERMISSION_DENIED', message);
}

export function rateLimited(message: string, details: JsonObject = {}): ConnectError {
  return rpcError(Code.ResourceExhausted, 'RATE_LIMITED', message, details);
}

export function invalidArgument(message: string, details: JsonObject = {}): ConnectError {
  return rpcError(Code.InvalidArgument, 'INVALID_ARGUMENT', message, details);
}
