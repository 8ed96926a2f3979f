import type { Redis, RedisKey, RedisValue } from 'ioredis';

type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: RedisValue[]) => Promise<unknown>;

/** Runs one of a set of fixed scripts: keys always in KEYS, user data only ever in ARGV. */
export type RunScript<Name extends string> = (
  script: Name,
  keys: readonly RedisKey[],
  args: readonly RedisValue[],
) => Promise<unknown>;

/**
 * Defines fixed Lua scripts on a client as commands (once per client: EVALSHA, and EVAL after a
 * NOSCRIPT, which ioredis handles) and returns the function that runs them by name.
 */
export function defineScripts<Name extends string>(
  client: Redis,
  scripts: Readonly<Record<Name, string>>,
): RunScript<Name> {
  const commands = client as unknown as Record<string, ScriptCommand | undefined>;
  for (const [name, lua] of Object.entries<string>(scripts))
    if (typeof commands[name] !== 'function') client.defineCommand(name, { lua });
  return (script, keys, args) => {
    const command = commands[script] as ScriptCommand;
    return command.call(client, keys.length, ...keys, ...args);
  };
}
