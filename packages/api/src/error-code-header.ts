/**
 * The response header (unary Connect calls) or trailer (gRPC, streams) that carries the stable
 * Muster error code of a failed call, beside the `muster.v1.ErrorDetail` error detail: a client
 * that cannot decode error details (curl) still sees the code.
 */
export const ERROR_CODE_HEADER = 'muster-error-code';
