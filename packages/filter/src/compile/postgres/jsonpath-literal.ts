import type { Path, Scalar } from '../../ast/filter-node.js';

/**
 * A jsonpath literal for a scalar. JSON.stringify output is valid jsonpath: the string escapes
 * are a subset of jsonpath's, numbers print as the shortest decimal that reads back as the same
 * double (so numeric comparison in PostgreSQL orders them as JS does), and a leading minus is
 * folded into the constant by the jsonpath parser, which keeps `== -1` index-served.
 */
export function jsonpathLiteral(value: Scalar): string {
  return JSON.stringify(value);
}

/**
 * The accessor chain `@."k1"."k2"` for a path, relative to the metadata root. In strict mode each
 * `.key` raises (inside a filter: yields unknown) when the key is missing or the value is not an
 * object, arrays included: exactly "path resolution walks objects only".
 */
export function jsonpathAccessor(path: Path): string {
  let chain = '@';
  for (const key of path) chain += `.${JSON.stringify(key)}`;
  return chain;
}
