import { randomUUID } from 'node:crypto';
import { type RunningServer, type StartServerOptions, startServer } from '@muster/server';

/** A Muster server on an ephemeral loopback port, on in-memory slots, logging nothing. */
export function startTestServer(options: StartServerOptions = {}): Promise<RunningServer> {
  return startServer({ host: '127.0.0.1', port: 0, logLevel: 'silent', ...options });
}

/** A namespace no other test (or rerun) uses. */
export function uniqueNamespace(prefix = 'client'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
