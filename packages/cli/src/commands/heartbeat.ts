import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { formatExpiry, formatTime } from '../format-time.js';
import { parseDuration } from '../parse-duration.js';

interface HeartbeatOptions extends GlobalOptions {
  readonly ttl?: number;
}

export function addHeartbeatCommand(program: Command, context: CommandContext): void {
  program
    .command('heartbeat')
    .description("extend an identity's TTL")
    .argument('<identity>', 'the identity to keep alive')
    .option('--ttl <duration>', "the new TTL from now (default: the namespace's)", parseDuration)
    .addHelpText('after', '\nExample:\n  muster heartbeat sensor-1 -n iot-devices --ttl 60s')
    .action(async (identity: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<HeartbeatOptions>();
      const result = await namespaceClient(options).heartbeat(
        identity,
        options.ttl === undefined ? {} : { ttlMs: options.ttl },
      );
      if (options.json === true)
        writeJson(context.io, {
          identity: result.identity,
          expiresAt: result.expiresAt === null ? null : formatTime(result.expiresAt),
        });
      else
        context.io.stdout.write(
          `heartbeat ${result.identity} (expires ${formatExpiry(result.expiresAt)})\n`,
        );
    });
}
