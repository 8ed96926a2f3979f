export type { CodePointRanges } from './code-point-ranges.js';
export { compileRegexMatcher } from './compile-regex-matcher.js';
export { isBacktrackingSafe, MAX_BACKTRACKING_PATHS } from './is-backtracking-safe.js';
export { MAX_REGEX_TRANSITIONS } from './measure-regex-transitions.js';
export {
  MAX_REGEX_NESTING,
  MAX_REGEX_REPEAT,
  MAX_REGEX_STATES,
  parseRegex,
} from './parse-regex.js';
export type {
  RegexAlternation,
  RegexChar,
  RegexConcat,
  RegexEmpty,
  RegexEnd,
  RegexNode,
  RegexRepeat,
  RegexSet,
  RegexStart,
} from './regex-node.js';
export { pcreLiteral, toPcreRegex } from './to-pcre-regex.js';
export { postgresLiteral, toPostgresRegex } from './to-postgres-regex.js';
