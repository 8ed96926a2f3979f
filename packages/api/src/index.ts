// The muster.v1 wire API: the RegistryService descriptor, every message type and its schema
// (`create(RegisterRequestSchema, {...})`, `toJson`, `fromBinary`), generated from
// proto/muster/v1/registry.proto by `pnpm generate`. Everything the generated file exports is
// the API, so it is re-exported whole.

export { ERROR_CODE_HEADER } from './error-code-header.js';
export * from './gen/muster/v1/registry_pb.js';
