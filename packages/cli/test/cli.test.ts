import { randomUUID } from 'node:crypto';
import { createClient } from '@muster/client';
import { type RunningServer, startServer } from '@muster/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { runMuster, startMuster } from './support/run-muster.js';

let server: RunningServer;
let env: Record<string, string>;
const namespace = `cli-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
  env = { MUSTER_URL: server.url, MUSTER_NAMESPACE: namespace };
});
afterAll(async () => {
  await server?.close();
});

describe('muster (child processes, exit codes checked)', () => {
  it('registers, gets, enumerates as a table and as JSON, heartbeats and unregisters', async () => {
    const registered = await runMuster(
      [
        'register',
        'sensor-1',
        '-m',
        'battery_level=0.1',
        '-m',
        'firmware_version=1.0.3',
        '-m',
        'location.building=HQ',
        '--ttl',
        // Long: each `muster` run is a child process, and on a loaded machine the whole test
        // takes minutes; a short TTL would expire sensor-1 before its heartbeat.
        '30m',
      ],
      env,
    );
    expect(registered.stderr).toBe('');
    expect(registered.code).toBe(EXIT.OK);
    expect(registered.stdout).toMatch(/^registered sensor-1 in cli-\w+ \(expires in 30m\)/);
    await runMuster(
      ['register', 'sensor-2', '--metadata', '{"battery_level":0.9,"firmware_version":"2.0.0"}'],
      env,
    );

    const again = await runMuster(['register', 'sensor-1'], env);
    expect(again.code).toBe(EXIT.ALREADY_EXISTS);
    expect(again.stderr).toContain('ALREADY_EXISTS');

    const table = await runMuster(['enumerate', 'battery_level < 0.2'], env);
    expect(table.code).toBe(EXIT.OK);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IDENTITY\s+BATTERY_LEVEL\s+FIRMWARE_VERSION\s+LOCATION\s+EXPIRES$/);
    expect(lines[1]).toMatch(/^sensor-1\s+0\.1\s+1\.0\.3\s+\{"building":"HQ"\}\s+in \d+m$/);
    expect(lines).toHaveLength(2);
    expect(table.stderr).toBe('1 identity\n');

    const json = await runMuster(
      ['enumerate', '{"firmware_version.startswith":"2"}', '--json'],
      env,
    );
    expect(JSON.parse(json.stdout)).toMatchObject([
      { identity: 'sensor-2', metadata: { battery_level: 0.9 }, expiresAt: null },
    ]);

    const count = await runMuster(['enumerate', '--count'], env);
    expect(count.stdout).toBe('2\n');

    const got = await runMuster(['get', 'sensor-1', '--json'], env);
    expect(JSON.parse(got.stdout)).toMatchObject({
      identity: 'sensor-1',
      metadata: { battery_level: 0.1, firmware_version: '1.0.3', location: { building: 'HQ' } },
    });

    const heartbeat = await runMuster(['heartbeat', 'sensor-1', '--ttl', '2m'], env);
    expect(heartbeat.stdout).toBe('heartbeat sensor-1 (expires in 2m)\n');

    expect((await runMuster(['unregister', 'sensor-1'], env)).stdout).toBe(
      'unregistered sensor-1\n',
    );
    const twice = await runMuster(['unregister', 'sensor-1'], env);
    expect(twice.code).toBe(EXIT.OK);
    expect(twice.stdout).toBe('sensor-1 was not registered\n');
  });

  it('exits with distinct codes scripts can rely on', async () => {
    const notFound = await runMuster(['get', 'nobody'], env);
    expect(notFound.code).toBe(EXIT.NOT_FOUND);
    expect(notFound.stderr).toMatch(/^muster: NOT_FOUND: /);

    const badFilter = await runMuster(['enumerate', 'battery_level <'], env);
    expect(badFilter.code).toBe(EXIT.INVALID);
    expect(badFilter.stderr).toContain('INVALID_FILTER');
    expect(badFilter.stderr).toContain('"line":1');

    expect((await runMuster(['enumerate', '--limit', 'lots'], env)).code).toBe(EXIT.USAGE);
    expect((await runMuster(['get'], env)).code).toBe(EXIT.USAGE);
    expect((await runMuster(['multicast', '-p', 'x'], env)).code).toBe(EXIT.USAGE);

    const down = await runMuster(['get', 'x'], { ...env, MUSTER_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(EXIT.UNAVAILABLE);

    const help = await runMuster(['--help'], env);
    expect(help.code).toBe(EXIT.OK);
    expect(help.stdout).toContain("muster enumerate 'battery_level < 0.2' --namespace iot-devices");
    expect(help.stdout).toContain('Exit codes:');
  });

  it('multicasts to a subscriber in another process and prints the delivery summary', async () => {
    const name = `${namespace}-mc`;
    const local = { ...env, MUSTER_NAMESPACE: name };
    await runMuster(
      ['register', 'user-alice', '-m', 'current_room=engineering', '-m', 'user_id=alice'],
      local,
    );
    await runMuster(['register', 'user-bob', '-m', 'current_room=engineering'], local);

    const subscriber = startMuster(['subscribe', 'user-alice', '--count', '2', '--json'], local);
    await subscriber.waitFor('subscribed as user-alice');

    const waited = await runMuster(
      [
        'multicast',
        'current_room == "engineering"',
        '-p',
        'Hello team!',
        '--wait',
        '--timeout',
        '2s',
      ],
      local,
    );
    // Bob has no subscriber: not every target acknowledged.
    expect(waited.code).toBe(EXIT.UNDELIVERED);
    expect(waited.stdout).toMatch(
      /^multicast \S+: 2 targets, 1 delivered \(1 DELIVERED, 1 NO_SUBSCRIBER\)\n/,
    );
    expect(waited.stdout).toMatch(/user-alice\s+DELIVERED/);
    expect(waited.stdout).toMatch(/user-bob\s+NO_SUBSCRIBER/);
    const multicastId = /^multicast (\S+):/.exec(waited.stdout)![1]!;

    const report = await runMuster(['report', multicastId, '--json'], local);
    expect(report.code).toBe(EXIT.OK);
    expect(JSON.parse(report.stdout)).toMatchObject({
      multicastId,
      targetCount: 2,
      deliveredCount: 1,
    });

    const fromStdin = await runMuster(
      ['multicast', 'user_id == "alice"', '-f', '-', '--content-type', 'text/plain', '--wait'],
      local,
      'from stdin',
    );
    expect(fromStdin.code).toBe(EXIT.OK);
    expect(fromStdin.stdout).toMatch(/1 target, 1 delivered/);

    const result = await subscriber.done;
    expect(result.code).toBe(EXIT.OK);
    const messages = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(messages.map((message) => message.payload)).toEqual(['Hello team!', 'from stdin']);
    expect(messages[0]).toMatchObject({ identity: 'user-alice', multicastId, attempt: 1 });
  });

  it('watches a filter and stops cleanly on Ctrl-C', async () => {
    const name = `${namespace}-watch`;
    const local = { ...env, MUSTER_NAMESPACE: name };
    const ns = createClient({ baseUrl: server.url }).namespace(name);
    await ns.register({ identity: 'd-1', metadata: { battery_level: 0.1 } });
    const watcher = startMuster(['watch', 'battery_level < 0.2', '--initial'], local);
    await watcher.waitFor('watching');
    await ns.register({ identity: 'd-2', metadata: { battery_level: 0.15 } });
    await ns.unregister('d-1');
    await watcher.waitFor('removed', 'stdout');
    watcher.child.kill('SIGINT');
    const result = await watcher.done;
    expect(result.code).toBe(EXIT.OK);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'added   initial      d-1 {"battery_level":0.1}',
      'added   registered   d-2 {"battery_level":0.15}',
      'removed unregistered d-1 {"battery_level":0.1}',
    ]);
  });

  it('keeps a registration alive until Ctrl-C, then unregisters it', async () => {
    const name = `${namespace}-keep`;
    const ns = createClient({ baseUrl: server.url }).namespace(name);
    const keeper = startMuster(
      ['register', 'svc-1', '-m', 'health_status=healthy', '--ttl', '600ms', '--keep-alive'],
      { ...env, MUSTER_NAMESPACE: name },
    );
    await keeper.waitFor('heartbeating');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expect(ns.get('svc-1')).resolves.toMatchObject({ identity: 'svc-1' });
    keeper.child.kill('SIGINT');
    const result = await keeper.done;
    expect(result.code).toBe(EXIT.OK);
    expect(result.stdout).toMatch(/unregistered svc-1 after [1-9]\d* heartbeats/);
    await expect(ns.get('svc-1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
