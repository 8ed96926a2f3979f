import { seededRandom } from '../../../tooling/bench/seeded-random.mjs';

const DEVICE_TYPES = ['sensor', 'gateway', 'camera', 'thermostat', 'meter'];
const CITIES = Array.from({ length: 20 }, (_, i) => `city-${i}`);

function device(i, next) {
  return {
    device_type: DEVICE_TYPES[Math.floor(next() * DEVICE_TYPES.length)],
    firmware_version: `1.${Math.floor(next() * 3)}.${Math.floor(next() * 10)}`,
    battery_level: Math.round(next() * 1000) / 1000,
    location: { city: CITIES[Math.floor(next() * CITIES.length)], zone: `z${i % 50}` },
    tags: next() < 0.3 ? ['outdoor', 'solar'] : ['indoor'],
    last_seen: 1_700_000_000_000 + i,
    status: next() < 0.5 ? 'online' : 'away',
    region: next() < 0.5 ? 'eu-west' : 'us-east',
  };
}

/**
 * The benchmark's IoT fleet of `size` devices, the same on every run and in every process (a
 * seeded generator): metadata and identities by index. `camera` in `city-7` is about 1%.
 */
export function iotFleet(size) {
  const next = seededRandom(size);
  const fleet = Array.from({ length: size }, (_, i) => device(i, next));
  const ids = fleet.map((_, i) => `device-${String(i).padStart(7, '0')}`);
  return { fleet, ids };
}
