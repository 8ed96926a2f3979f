// IoT device management on Muster (RFC-017, use case 2). Devices register with a TTL kept alive
// by heartbeats and listen for commands; a dashboard lists the devices running low; the control
// plane sends a firmware update to every 1.0.x device, at least once: a device that is offline
// gets it when it comes back.
//
//   muster-server --config examples/iot-devices/muster.yaml
//   MUSTER_URL=http://127.0.0.1:7070 npx tsx examples/iot-devices/devices.ts
import { createClient, type Message } from '@muster/client';

const iot = createClient({
  baseUrl: process.env.MUSTER_URL ?? 'http://127.0.0.1:7070',
  ...(process.env.MUSTER_TOKEN && { token: process.env.MUSTER_TOKEN }),
}).namespace('iot-devices');

const devices = [
  {
    id: 'sensor-temp-floor2-room5',
    device_type: 'sensor',
    firmware_version: '1.0.3',
    battery_level: 0.78,
    building: 'HQ',
  },
  {
    id: 'sensor-hum-floor1-room2',
    device_type: 'sensor',
    firmware_version: '1.0.1',
    battery_level: 0.12,
    building: 'HQ',
  },
  {
    id: 'actuator-valve-3',
    device_type: 'actuator',
    firmware_version: '2.1.0',
    battery_level: 0.15,
    building: 'HQ',
  },
  {
    id: 'gateway-annex-1',
    device_type: 'gateway',
    firmware_version: '1.0.9',
    battery_level: 0.05,
    building: 'Annex',
  },
];

// 1. Devices connect: register (heartbeating every 10 s to keep a 30 s TTL) and listen.
const registrations = await Promise.all(
  devices.map(({ id, building, ...metadata }) =>
    iot.register({
      identity: id,
      metadata: {
        device_id: id,
        ...metadata,
        location: { lat: 37.7749, lon: -122.4194, building },
      },
      ttlMs: 30_000,
      replace: true,
      keepAlive: true,
    }),
  ),
);
console.log(`registered ${registrations.length} devices`);

/** A device's command loop: print and acknowledge the first command, then stop. */
async function firstCommand(identity: string): Promise<string> {
  const inbox = await iot.subscribe(identity);
  for await (const message of inbox as AsyncIterable<Message>) {
    const command = message.json<{ command: string }>();
    console.log(`${identity} received ${command.command} (attempt ${message.attempt})`);
    await message.ack();
    await inbox.close();
    return command.command;
  }
  throw new Error(`${identity}: the subscription ended`);
}
// sensor-hum-floor1-room2 is offline for now.
const online = devices.filter((device) => device.id !== 'sensor-hum-floor1-room2');
const listening = await Promise.all(
  online.map(async (device) => ({ device, done: firstCommand(device.id) })),
);

// 2. The dashboard: devices in HQ with less than 20 % battery, emptiest first.
const low = await iot.enumerate({
  filter: 'battery_level < 0.2 and location.building == "HQ"',
  sort: [{ by: 'battery_level' }],
});
console.log(`low battery in HQ: ${low.identities.map((record) => record.identity).join(', ')}`);
if (low.identities.length !== 2) throw new Error('expected two low-battery devices in HQ');

// 3. The control plane: a firmware update to every 1.0.x device, at least once.
const report = await iot.multicast({
  filter: { 'firmware_version.startswith': '1.0' },
  json: { command: 'update_firmware', url: 'https://firmware.example.com/1.1.0.bin' },
  delivery: 'at-least-once',
});
for (const delivery of report.deliveries) console.log(`  ${delivery.identity}: ${delivery.status}`);
if (report.targetCount !== 3) throw new Error(`expected 3 targets, got ${report.targetCount}`);

// 4. The offline device comes back and finds the update waiting.
const late = await firstCommand('sensor-hum-floor1-room2');
const commands = [
  ...(await Promise.all(
    listening
      .filter(({ device }) => device.firmware_version.startsWith('1.0'))
      .map(({ done }) => done),
  )),
  late,
];
console.log(`firmware update reached ${commands.length} of ${report.targetCount} devices`);

// 5. Devices disconnect: stop heartbeating and unregister.
await Promise.all(registrations.map((registration) => registration.close()));
console.log('devices unregistered');
process.exit(0);
