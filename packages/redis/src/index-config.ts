import type { Path } from '@muster/filter';
import type { NamespaceKeys } from './namespace-keys.js';
import type { RunScript } from './registry-scripts.js';

/** A namespace's indexed paths as Redis holds them, with the version writes must quote. */
export interface IndexConfig {
  readonly version: string;
  /** Every indexed path: writes maintain them all. */
  readonly paths: readonly Path[];
  /** Paths whose backfill finished, by JSON: only these serve reads. */
  readonly ready: ReadonlySet<string>;
}

export const NO_INDEXES: IndexConfig = Object.freeze({
  version: '0',
  paths: Object.freeze([]),
  ready: new Set<string>(),
});

/** Reads the index config atomically (one fixed read-only script). */
export async function readIndexConfig(run: RunScript, keys: NamespaceKeys): Promise<IndexConfig> {
  const reply = (await run(
    'musterRegistryReadConfig',
    [keys.config, keys.indexedPaths, keys.readyPaths],
    [],
  )) as string[];
  const version = reply[0] ?? '0';
  const split = reply.indexOf('', 1);
  const paths = reply.slice(1, split).map((json) => JSON.parse(json) as Path);
  if (version === '0' && paths.length === 0) return NO_INDEXES;
  return { version, paths, ready: new Set(reply.slice(split + 1)) };
}
