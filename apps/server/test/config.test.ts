import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MusterError } from '@muster/core';
import { describe, expect, it } from 'vitest';
import { toNamespaceConfig } from '../src/config/to-namespace-config.js';
import { loadConfig, parseConfig } from '../src/index.js';
import { checkSlotSettings } from '../src/slots/check-slot-settings.js';

const configDir = fileURLToPath(new URL('../config/', import.meta.url));

function problemsOf(yaml: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfig(yaml, 'muster.yaml', env);
  } catch (error) {
    if (MusterError.is(error, 'INVALID_ARGUMENT')) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('configuration', () => {
  it('loads the shipped examples, RFC-017 examples 1, 2 and 4 included, as written', async () => {
    const files = (await readdir(configDir)).filter((file) => file.endsWith('.yaml'));
    expect(files.sort()).toEqual([
      'agents.outbox.yaml',
      'iot.postgres-kafka.yaml',
      'memory.yaml',
      'presence.redis-nats.yaml',
      'presence.redis.yaml',
    ]);
    for (const file of files) {
      // Every example's slot settings read as its factories read them.
      const example = await loadConfig(`${configDir}${file}`, {});
      expect(example.namespaces.flatMap((namespace) => checkSlotSettings(namespace, {}))).toEqual(
        [],
      );
    }
    const presence = await loadConfig(`${configDir}presence.redis-nats.yaml`, {
      REDIS_HOST: 'cache.internal',
    });
    const namespace = presence.namespaces[0]!;
    expect(namespace.backend_slots?.registry).toMatchObject({
      type: 'redis',
      host: 'cache.internal',
      port: 6379,
    });
    expect(namespace.backend_slots?.messaging).toMatchObject({
      servers: ['nats://localhost:4222'],
    });
    const converted = toNamespaceConfig(namespace);
    expect(converted.config.ttlDefaultMs).toBe(300_000);
    expect(converted.config.schema?.fields.status).toEqual({
      type: 'enum',
      values: ['online', 'away', 'busy', 'offline'],
    });
    const iot = await loadConfig(`${configDir}iot.postgres-kafka.yaml`, {});
    expect(toNamespaceConfig(iot.namespaces[0]!).config.schema?.fields).toMatchObject({
      location: { type: 'object' },
      battery_level: { type: 'number' },
    });
    expect(iot.namespaces[0]!.backend_slots?.durability).toEqual({ use_messaging: true });
    const agents = await loadConfig(`${configDir}agents.outbox.yaml`, {});
    expect(agents.namespaces[0]!.composition).toMatchObject({
      pattern: 'outbox',
      outbox_table: 'multicast_outbox',
    });
    await loadConfig(`${configDir}memory.yaml`, {});
    const redisOnly = (
      await loadConfig(`${configDir}presence.redis.yaml`, { REDIS_URL: 'redis://cache:6379/1' })
    ).namespaces[0]!;
    expect(redisOnly.backend_slots).toMatchObject({
      registry: { type: 'redis', url: 'redis://cache:6379/1' },
      messaging: { type: 'redis', url: 'redis://cache:6379/1' },
      durability: { type: 'redis', url: 'redis://cache:6379/1', retention: '1d', max_length: 1000 },
    });
    expect(toNamespaceConfig(redisOnly).config.ttlDefaultMs).toBe(300_000);
  });

  it('names the file, line, column and key of a wrong value', () => {
    const message = problemsOf(`namespaces:
  - name: iot
    ttl_default: soon
    limits:
      max_identities: -1
`);
    expect(message).toContain('muster.yaml:3:18 namespaces.0.ttl_default: not a duration: "soon"');
    expect(message).toContain('muster.yaml:5:23 namespaces.0.limits.max_identities:');
  });

  it('names the line of a wrong backend slot setting (checked before any slot is built)', () => {
    expect(
      problemsOf(`namespaces:
  - name: iot
    backend_slots:
      durability: { type: redis, retention: soon }
`),
    ).toMatch(
      /muster\.yaml:4:\d+ namespaces\.0\.backend_slots\.durability\.retention: must be a duration/,
    );
  });

  it('names unknown keys, missing keys and YAML syntax errors with their line', () => {
    expect(
      problemsOf(`namespaces:
  - name: iot
    backend_slots:
      registry: { type: memory }
      mesaging: { type: memory }
`),
    ).toContain('muster.yaml:5:17 namespaces.0.backend_slots.mesaging: unknown key "mesaging"');
    expect(problemsOf('server:\n  port: 7070\n')).toMatch(/muster\.yaml:1:1 namespaces: /);
    expect(problemsOf('namespaces:\n  - name: [unclosed\n')).toMatch(
      /muster\.yaml:\d+:\d+ \(yaml\): /,
    );
  });

  it('reports identity schemas, duplicate namespaces and bad publisher filters at their line', () => {
    const message = problemsOf(`namespaces:
  - name: a
    identity_schema:
      status: colour
  - name: a
auth:
  keys:
    - name: k
      token_sha256: "${'a'.repeat(64)}"
      scopes: [enumerate]
      publisher_filter: 'fleet =='
`);
    expect(message).toContain(
      'muster.yaml:4:15 namespaces.0.identity_schema.status: unknown field type "colour"',
    );
    expect(message).toContain(
      'muster.yaml:5:11 namespaces.1.name: namespace "a" is declared twice',
    );
    expect(message).toMatch(
      /muster\.yaml:11:25 auth\.keys\.0\.publisher_filter: not a valid filter/,
    );
  });

  it('checks settings as the coordinator does (a default TTL above the maximum)', () => {
    expect(
      problemsOf(`namespaces:
  - name: iot
    ttl_default: 2h
    limits: { max_ttl: 1h }
`),
    ).toMatch(/muster\.yaml:3:18 namespaces\.0\.ttl_default: ttlDefaultMs must be/);
  });

  it('substitutes environment variables, with defaults, and names the missing ones', () => {
    const config = parseConfig(
      `namespaces:
  - name: n
    backend_slots:
      registry: { type: redis, url: "redis://\${REDIS_HOST}:\${REDIS_PORT:-6379}/0" }
`,
      'muster.yaml',
      { REDIS_HOST: 'cache' },
    );
    expect(config.namespaces[0]!.backend_slots?.registry).toMatchObject({
      url: 'redis://cache:6379/0',
    });
    expect(
      problemsOf(`namespaces:
  - name: n
    backend_slots:
      registry: { type: redis, password: "\${REDIS_PASSWORD}" }
`),
    ).toContain(
      'muster.yaml:4:42 namespaces.0.backend_slots.registry.password: environment variable REDIS_PASSWORD is not set',
    );
  });
});
