import type { Redis } from 'ioredis';
import { defineScripts, type RunScript as RunNamedScript } from './define-scripts.js';
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

/** Runs one of the fixed registry scripts. */
export type RunScript = RunNamedScript<RegistryScript>;

/** Defines the registry scripts on a client and returns their runner. */
export function registryScripts(client: Redis): RunScript {
  return defineScripts(client, SCRIPTS);
}
