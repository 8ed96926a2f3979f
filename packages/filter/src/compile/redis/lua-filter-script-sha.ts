import { createHash } from 'node:crypto';
import { LUA_FILTER_SCRIPT } from './lua-filter-script.js';

/** SHA1 of LUA_FILTER_SCRIPT, as SCRIPT LOAD returns it: the name to call EVALSHA with. */
export const LUA_FILTER_SCRIPT_SHA = createHash('sha1')
  .update(LUA_FILTER_SCRIPT, 'utf8')
  .digest('hex');
