import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { encodeMetadataForLua } from '../../src/compile/redis/encode-metadata-for-lua.js';
import { LUA_FILTER_SCRIPT } from '../../src/compile/redis/lua-filter-script.js';
import { LUA_FILTER_SCRIPT_SHA } from '../../src/compile/redis/lua-filter-script-sha.js';
import { toLuaProgram } from '../../src/compile/redis/to-lua-program.js';
import { compile } from '../../src/evaluate/compile.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What one filter returned from Redis, before and after the in-memory re-check. */
export interface LuaFilterResult {
  /** Keys the script returned, in KEYS order. */
  readonly raw: readonly string[];
  /** `raw` re-checked with compile(ast) when the program is not exact, else `raw`. */
  readonly refined: readonly string[];
  readonly exact: boolean;
}

/**
 * Test-only glue between the package and a real Redis: stores documents under a per-file key
 * prefix, runs programs by EVALSHA in pipelines, and deletes its keys on close.
 */
export class LuaFilterHarness {
  readonly redis: Redis;
  readonly prefix: string;
  private readonly documents = new Map<string, Record<string, unknown>>();

  private constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /**
   * Connects and loads the script. Returns undefined (after saying why) when the server is
   * unreachable, except under CI=true, where that is an error.
   */
  static async open(name: string): Promise<LuaFilterHarness | undefined> {
    const redis = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2_000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Keeps the socket error (the useful part) and stops ioredis reporting it as unhandled.
    let socketError: unknown;
    redis.on('error', (error) => {
      socketError = error;
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      const message = `Redis at ${REDIS_URL} is unreachable: ${String(socketError ?? error)}`;
      if (process.env.CI === 'true') throw new Error(message);
      console.warn(`SKIPPING Redis tests (${name}): ${message}`);
      return undefined;
    }
    const harness = new LuaFilterHarness(
      redis,
      `muster-filter-test:${name}:${randomBytes(6).toString('hex')}:`,
    );
    await harness.load();
    return harness;
  }

  /** SCRIPT LOAD; also checks the exported SHA is the one Redis computes. */
  async load(): Promise<void> {
    const sha = (await this.redis.script('LOAD', LUA_FILTER_SCRIPT)) as string;
    if (sha !== LUA_FILTER_SCRIPT_SHA) {
      throw new Error(
        `SCRIPT LOAD returned ${sha}, LUA_FILTER_SCRIPT_SHA is ${LUA_FILTER_SCRIPT_SHA}`,
      );
    }
  }

  key(id: string): string {
    return this.prefix + id;
  }

  /** Stores documents (id to metadata) and returns their keys, in the given order. */
  async store(documents: Iterable<readonly [string, Record<string, unknown>]>): Promise<string[]> {
    const keys: string[] = [];
    let pipeline = this.redis.pipeline();
    for (const [id, metadata] of documents) {
      const key = this.key(id);
      keys.push(key);
      this.documents.set(key, metadata);
      pipeline.set(key, encodeMetadataForLua(metadata));
      if (pipeline.length >= 500) {
        await exec(pipeline);
        pipeline = this.redis.pipeline();
      }
    }
    await exec(pipeline);
    return keys;
  }

  /** Runs encoded programs over the keys in one round trip; throws on any script error. */
  async runPrograms(keys: readonly string[], programs: readonly string[]): Promise<string[][]> {
    try {
      return await this.evalAll(keys, programs);
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error;
      await this.load();
      return this.evalAll(keys, programs);
    }
  }

  /** Runs filters and re-checks non-exact results against the stored documents. */
  async runFilters(
    keys: readonly string[],
    asts: readonly FilterNode[],
  ): Promise<LuaFilterResult[]> {
    const encoded = asts.map(toLuaProgram);
    const results = await this.runPrograms(
      keys,
      encoded.map((e) => e.program),
    );
    return results.map((raw, i) => {
      const { exact } = encoded[i]!;
      if (exact) return { raw, refined: raw, exact };
      const predicate = compile(asts[i]!);
      return { raw, refined: raw.filter((key) => predicate(this.metadata(key))), exact };
    });
  }

  /** The keys among `keys` whose stored metadata matches according to the in-memory evaluator. */
  expected(keys: readonly string[], ast: FilterNode): string[] {
    const predicate = compile(ast);
    return keys.filter((key) => this.documents.has(key) && predicate(this.metadata(key)));
  }

  metadata(key: string): Record<string, unknown> {
    const metadata = this.documents.get(key);
    if (!metadata) throw new Error(`no document stored under ${key}`);
    return metadata;
  }

  async close(): Promise<void> {
    const keys = [...this.documents.keys()];
    for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
    await this.redis.quit();
  }

  private async evalAll(keys: readonly string[], programs: readonly string[]): Promise<string[][]> {
    const pipeline = this.redis.pipeline();
    for (const program of programs)
      pipeline.evalsha(LUA_FILTER_SCRIPT_SHA, keys.length, ...keys, program);
    return (await exec(pipeline)) as string[][];
  }
}

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
