import { invalidArgument } from './invalid-argument.js';

const VALID = /^[A-Za-z0-9_.-]{1,128}$/;

/** A namespace name is 1..128 characters of ASCII letters, digits, `_`, `.` and `-`. */
export function checkNamespaceName(namespace: unknown): string {
  if (typeof namespace === 'string' && VALID.test(namespace)) return namespace;
  throw invalidArgument(
    'namespace',
    typeof namespace !== 'string'
      ? `namespace must be a string, not ${namespace === null ? 'null' : typeof namespace}`
      : `namespace ${JSON.stringify(namespace.slice(0, 140))} is not 1..128 characters of A-Z a-z 0-9 _ . -`,
  );
}
