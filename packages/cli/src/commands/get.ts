import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { formatExpiry, formatTime } from '../format-time.js';
import { recordJson } from '../record-json.js';

export function addGetCommand(program: Command, context: CommandContext): void {
  program
    .command('get')
    .description('show one identity (exit 4 when it is not registered)')
    .argument('<identity>', 'the identity to show')
    .addHelpText('after', '\nExample:\n  muster get sensor-1 -n iot-devices --json')
    .action(async (identity: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const record = await namespaceClient(options).get(identity);
      const { io } = context;
      if (options.json === true) {
        writeJson(io, recordJson(record));
        return;
      }
      io.stdout.write(
        [
          `identity:      ${record.identity}`,
          `registered at: ${formatTime(record.registeredAt)}`,
          `updated at:    ${formatTime(record.updatedAt)}`,
          `expires:       ${formatExpiry(record.expiresAt)}${record.expiresAt === null ? '' : ` (${formatTime(record.expiresAt)})`}`,
          `metadata:      ${JSON.stringify(record.metadata, null, 2).replaceAll('\n', '\n               ')}`,
          '',
        ].join('\n'),
      );
    });
}
