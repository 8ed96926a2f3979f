import { encodeIdentityToken } from '@muster/core';
import { namespaceTag } from './namespace-tag.js';

/**
 * The hash holding one multicast's report and its delivery marks, under the namespace's hash
 * tag (one Cluster slot with the namespace's other keys). The id goes through the injective
 * `encodeIdentityToken`, so no id can reach another's report. Fields: `b` the report
 * (`encodeReport`), `e` its expiresAt (epoch ms, the caller's clock), and `m:<identity>` (empty
 * value) per target that acked; marks may exist before `b` and `e` do.
 */
export function reportKey(prefix: string, namespace: string, multicastId: string): string {
  return `${namespaceTag(prefix, namespace)}:report:${encodeIdentityToken(multicastId)}`;
}
