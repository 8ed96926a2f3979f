import { encodeIdentityToken } from '@muster/core';

/**
 * Streams and subjects of the multicast reports of one subject prefix. Namespace and multicast
 * id are encoded with `encodeIdentityToken`, so neither adds a token or a wildcard.
 */
export interface ReportSubjects {
  /** Report parts, one message per subject: `<prefix token>_R` (no token holds `_R` or `_M`, so no queue stream has either name). */
  readonly reportStream: string;
  /** What the report stream stores: `<prefix>.r.*.*.*`. */
  readonly reportFilter: string;
  /** Marks, any number per subject: `<prefix token>_M`. */
  readonly marksStream: string;
  /** What the marks stream stores: `<prefix>.m.*.*`. */
  readonly marksFilter: string;
  /** `<prefix>.r.<ns>.<id>.<part>`: part `part` of a report's bytes. */
  part(namespace: string, multicastId: string, part: number): string;
  /** `<prefix>.m.<ns>.<id>`: a report's marks, one message (the identity) per mark. */
  marks(namespace: string, multicastId: string): string;
}

export function reportSubjects(prefix: string): ReportSubjects {
  const token = encodeIdentityToken(prefix);
  return {
    reportStream: `${token}_R`,
    reportFilter: `${prefix}.r.*.*.*`,
    marksStream: `${token}_M`,
    marksFilter: `${prefix}.m.*.*`,
    part: (namespace, multicastId, part) =>
      `${prefix}.r.${encodeIdentityToken(namespace)}.${encodeIdentityToken(multicastId)}.${part}`,
    marks: (namespace, multicastId) =>
      `${prefix}.m.${encodeIdentityToken(namespace)}.${encodeIdentityToken(multicastId)}`,
  };
}
