import { type ServerCommand, ServerProcess } from '@muster/conformance';
import { pingOnce } from './redis-test-server.js';

/**
 * A private redis-server with an append-only file fsynced on every write, for tests that stop
 * and restart it (SIGTERM is a clean shutdown that syncs the AOF). REDIS_SERVER_BIN overrides the
 * binary (default `redis-server` from PATH).
 */
const REDIS_SERVER: ServerCommand = {
  name: 'redis-server',
  binary: process.env.REDIS_SERVER_BIN ?? 'redis-server',
  args: (port, dir) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
  ],
  url: (port) => `redis://127.0.0.1:${port}`,
  probe: (url) => pingOnce(url, 500),
};

export const RedisServerProcess = {
  launch: (): Promise<ServerProcess> => ServerProcess.launch(REDIS_SERVER),
};
