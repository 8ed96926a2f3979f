import type { Redis, RedisKey, RedisValue } from 'ioredis';
import { BACKFILL_SCRIPT } from './lua/backfill-script.js';
import { ADD_PATHS_SCRIPT, COUNT_SCRIPT, READ_CONFIG_SCRIPT } from './lua/config-scripts.js';
import { DELETE_SCRIPT } from './lua/delete-script.js';
import { PUT_SCRIPT } from './lua/put-script.js';
import { SELECT_SCRIPT } from './lua/select-script.js';
import { SWEEP_SCRIPT } from './lua/sweep-script.js';
import { TOUCH_SCRIPT } from './lua/touch-script.js';

/** The fixed scripts, by the command name ioredis defines for each (EVALSHA, EVAL on NOSCRIPT). */
const SCRIPTS = {
  musterRegistryPut: PUT_SCRIPT,
  musterRegistryDelete: DELETE_SCRIPT,
  musterRegistryTouch: TOUCH_SCRIPT,
  musterRegistrySweep: SWEEP_SCRIPT,
  musterRegistrySelect: SELECT_SCRIPT,
  musterRegistryBackfill: BACKFILL_SCRIPT,
  musterRegistryReadConfig: READ_CONFIG_SCRIPT,
  musterRegistryAddPaths: ADD_PATHS_SCRIPT,
  musterRegistryCount: COUNT_SCRIPT,
} as const;

export type RegistryScript = keyof typeof SCRIPTS;

type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: RedisValue[]) => Promise<unknown>;

/** Runs one of the fixed scripts: keys always in KEYS, user data only ever in ARGV. */
export type RunScript = (
  script: RegistryScript,
  keys: readonly RedisKey[],
  args: readonly RedisValue[],
) => Promise<unknown>;

/** Defines the scripts on a client (once) and returns the function that runs them. */
export function registryScripts(client: Redis): RunScript {
  const commands = client as unknown as Record<string, ScriptCommand | undefined>;
  for (const [name, lua] of Object.entries(SCRIPTS))
    if (typeof commands[name] !== 'function') client.defineCommand(name, { lua });
  return (script, keys, args) => {
    const command = commands[script] as ScriptCommand;
    return command.call(client, keys.length, ...keys, ...args);
  };
}
