import { Code, ConnectError } from '@connectrpc/connect';
import { ERROR_CODE_HEADER, ErrorDetailSchema } from '@muster/api';
import { MusterError, type MusterErrorCode } from './muster-error.js';

const MUSTER_CODES: ReadonlySet<string> = new Set<MusterErrorCode>([
  'INVALID_ARGUMENT',
  'INVALID_FILTER',
  'INVALID_METADATA',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'QUOTA_EXCEEDED',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'TIMEOUT',
  'CANCELLED',
  'UNSUPPORTED',
  'INTERNAL',
]);

/** For errors that carry no Muster code: what the Connect/gRPC status means to a caller. */
const BY_CONNECT_CODE: Partial<Record<Code, MusterErrorCode>> = {
  [Code.Canceled]: 'CANCELLED',
  [Code.InvalidArgument]: 'INVALID_ARGUMENT',
  [Code.DeadlineExceeded]: 'TIMEOUT',
  [Code.NotFound]: 'NOT_FOUND',
  [Code.AlreadyExists]: 'ALREADY_EXISTS',
  [Code.PermissionDenied]: 'PERMISSION_DENIED',
  [Code.ResourceExhausted]: 'QUOTA_EXCEEDED',
  [Code.FailedPrecondition]: 'INVALID_ARGUMENT',
  [Code.OutOfRange]: 'INVALID_ARGUMENT',
  [Code.Unimplemented]: 'UNSUPPORTED',
  [Code.Unavailable]: 'UNAVAILABLE',
  [Code.Aborted]: 'UNAVAILABLE',
  [Code.Unauthenticated]: 'UNAUTHENTICATED',
  // A failed fetch (connection refused, reset, DNS) surfaces as Unknown: the server was not
  // reached, which is what UNAVAILABLE tells a caller (retry later).
  [Code.Unknown]: 'UNAVAILABLE',
};

/**
 * Any error of a call as a MusterError: the server's `muster.v1.ErrorDetail` (code and details)
 * when it sent one, else its `muster-error-code` header, else the Connect status mapped.
 */
export function toMusterError(error: unknown): MusterError {
  if (MusterError.is(error)) return error;
  const connectError = ConnectError.from(error);
  const detail = connectError.findDetails(ErrorDetailSchema)[0];
  // Headers and trailers are merged into `metadata`: the code may be there twice ("A, A").
  const header = connectError.metadata.get(ERROR_CODE_HEADER)?.split(',')[0]?.trim();
  const claimed = detail?.code ?? header ?? '';
  const code: MusterErrorCode = MUSTER_CODES.has(claimed)
    ? (claimed as MusterErrorCode)
    : (BY_CONNECT_CODE[connectError.code] ?? 'INTERNAL');
  return new MusterError(code, connectError.rawMessage, {
    details: detail?.details ?? {},
    cause: error,
  });
}
