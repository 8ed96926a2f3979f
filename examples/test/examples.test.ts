import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type RunningServer, startServer } from '@muster/server';
import { afterEach, describe, expect, it } from 'vitest';

const here = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Runs an example program with tsx against `url`; resolves with its exit code and output. */
function runExample(
  program: string,
  url: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@muster/source', '--import', 'tsx', here(program)],
      { env: { ...process.env, MUSTER_URL: url } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Each example's config, served on an ephemeral port, and its program run against it. */
const EXAMPLES = [
  {
    name: 'IoT device management',
    config: 'iot-devices/muster.yaml',
    program: 'iot-devices/devices.ts',
    expect: [
      'registered 4 devices',
      'low battery in HQ: sensor-hum-floor1-room2, actuator-valve-3',
      'sensor-hum-floor1-room2 received update_firmware (attempt 1)',
      'firmware update reached 3 of 3 devices',
    ],
  },
  {
    name: 'user presence',
    config: 'presence/muster.yaml',
    program: 'presence/presence.ts',
    expect: ['online in engineering: Alice, Bob', 'delivered to 3/3 users', 'everyone left'],
  },
  {
    name: 'service discovery',
    config: 'service-discovery/muster.yaml',
    program: 'service-discovery/discovery.ts',
    expect: [
      'gateway pool: payment-service-instance-41, payment-service-instance-42, payment-service-instance-43',
      'gateway: payment-service-instance-42 removed (updated); pool has 2',
      'feature flags acknowledged by 4/4 instances',
    ],
  },
];

describe('examples end to end', () => {
  for (const example of EXAMPLES)
    it(`${example.name}: the config serves, the program runs`, async () => {
      const config = await loadConfig(here(example.config));
      server = await startServer({ config, host: '127.0.0.1', port: 0, logLevel: 'silent' });
      const { code, output } = await runExample(example.program, server.url);
      expect(output, output).not.toContain('Error');
      expect(code, output).toBe(0);
      for (const line of example.expect) expect(output).toContain(line);
    });
});
