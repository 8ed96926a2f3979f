import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { formatExpiry, formatTime } from '../format-time.js';
import { parseDuration } from '../parse-duration.js';
import { parseMetadata } from '../parse-metadata.js';

interface RegisterOptions extends GlobalOptions {
  readonly metadata?: string;
  readonly meta: string[];
  readonly ttl?: number;
  readonly replace?: boolean;
  readonly keepAlive?: boolean;
  readonly interval?: number;
}

export function addRegisterCommand(program: Command, context: CommandContext): void {
  program
    .command('register')
    .description('register an identity with metadata and an optional TTL')
    .argument('<identity>', 'the identity to register')
    .option('--metadata <json>', 'metadata as a JSON object')
    .option(
      '-m, --meta <key=value>',
      'one metadata field (repeatable; the value is JSON when it parses, else text; a dotted key nests)',
      (pair: string, all: string[]) => [...all, pair],
      [],
    )
    .option(
      '--ttl <duration>',
      'time to live: 500ms, 30s, 5m, 1h (bare number: seconds)',
      parseDuration,
    )
    .option('--replace', 'replace the identity if it is registered')
    .option(
      '--keep-alive',
      'stay running and heartbeat until Ctrl-C, then unregister (needs a TTL)',
    )
    .option(
      '--interval <duration>',
      'heartbeat interval with --keep-alive (default: TTL / 3)',
      parseDuration,
    )
    .addHelpText(
      'after',
      `
Examples:
  muster register sensor-1 -n iot-devices -m battery_level=0.78 -m firmware_version=1.0.3 --ttl 60s
  muster register user-alice --metadata '{"status":"online","current_room":"engineering"}'
  muster register payment-42 -m health_status=healthy --ttl 30s --keep-alive`,
    )
    .action(async (identity: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<RegisterOptions>();
      const { io } = context;
      const namespace = namespaceClient(options);
      const registration = await namespace.register({
        identity,
        metadata: parseMetadata(options.metadata, options.meta),
        ...(options.ttl !== undefined && { ttlMs: options.ttl }),
        ...(options.replace === true && { replace: true }),
        ...(options.keepAlive === true && {
          keepAlive: {
            ...(options.interval !== undefined && { intervalMs: options.interval }),
            onError: (error: unknown) =>
              io.stderr.write(`muster: heartbeat failed: ${String(error)}\n`),
          },
        }),
      });
      if (options.json === true)
        writeJson(io, {
          identity: registration.identity,
          namespace: options.namespace,
          registeredAt: formatTime(registration.registeredAt),
          expiresAt: registration.expiresAt === null ? null : formatTime(registration.expiresAt),
        });
      else
        io.stdout.write(
          `registered ${registration.identity} in ${options.namespace} (expires ${formatExpiry(registration.expiresAt)})\n`,
        );
      if (options.keepAlive !== true) return;
      io.stderr.write('heartbeating; Ctrl-C to unregister and stop\n');
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        else io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await registration.close();
      if (options.json !== true)
        io.stdout.write(
          `unregistered ${registration.identity} after ${registration.heartbeats} heartbeats\n`,
        );
    });
}
