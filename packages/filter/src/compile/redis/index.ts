export { encodeMetadataForLua, encodeValidMetadataForLua } from './encode-metadata-for-lua.js';
export { LUA_FILTER_LIBRARY } from './lua-filter-library.js';
export { LUA_FILTER_SCRIPT } from './lua-filter-script.js';
export { LUA_FILTER_SCRIPT_SHA } from './lua-filter-script-sha.js';
export type { LuaProgram } from './to-lua-program.js';
export { toLuaProgram } from './to-lua-program.js';
