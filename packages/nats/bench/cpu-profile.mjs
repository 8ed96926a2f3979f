/**
 * A V8 CPU profile of a window of this process (what `node --cpu-prof` records for the whole
 * run), written as `<dir>/<name>.cpuprofile` for Chrome DevTools or `speedscope`. The bench
 * profiles the measured rounds only, without start-up and subscribing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function startProfile(dir, name) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
