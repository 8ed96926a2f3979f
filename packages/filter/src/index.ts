export type {
  AllNode,
  AndNode,
  ContainsNode,
  EndsWithNode,
  EqNode,
  ExistsNode,
  FilterNode,
  FilterNodeKind,
  InNode,
  LeafNode,
  MatchesNode,
  NotNode,
  OrNode,
  Path,
  RangeNode,
  RangeOperator,
  Scalar,
  StartsWithNode,
  TypeNode,
  ValueType,
} from './ast/filter-node.js';
export { isLeaf, VALUE_TYPES } from './ast/filter-node.js';
export { nodes } from './ast/nodes.js';
export type { MongoCompilation, MongoQuery, ToMongoOptions } from './compile/mongo/index.js';
export { toMongo } from './compile/mongo/index.js';
export type { SqlFilter, ToSqlOptions } from './compile/postgres/index.js';
export { toSql } from './compile/postgres/index.js';
export type { LuaProgram } from './compile/redis/index.js';
export {
  encodeMetadataForLua,
  encodeValidMetadataForLua,
  LUA_FILTER_LIBRARY,
  LUA_FILTER_SCRIPT,
  LUA_FILTER_SCRIPT_SHA,
  toLuaProgram,
} from './compile/redis/index.js';
export type { FilterErrorCode, FilterErrorDetails, SourceLocation } from './errors/filter-error.js';
export { FilterError } from './errors/filter-error.js';
export { compareCodePoints } from './evaluate/compare-code-points.js';
export { compile } from './evaluate/compile.js';
export { compileClosures } from './evaluate/compile-closures.js';
export type { Predicate } from './evaluate/predicate.js';
export { format } from './format/format.js';
export { toJsonForm } from './format/to-json-form.js';
export type { JsonFilter, JsonOperator } from './json-form/json-operators.js';
export { JSON_OPERATORS } from './json-form/json-operators.js';
export type { ParseOptions } from './parse.js';
export { parse } from './parse.js';
export type { Approximation } from './passes/over-approximate.js';
export { overApproximate } from './passes/over-approximate.js';
export type { FilterSize } from './validate/check-limits.js';
export { measureFilter } from './validate/check-limits.js';
export type { FilterLimits } from './validate/filter-limits.js';
export { DEFAULT_FILTER_LIMITS } from './validate/filter-limits.js';
export { validateMetadata } from './validate/validate-metadata.js';
