import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';

export function addUnregisterCommand(program: Command, context: CommandContext): void {
  program
    .command('unregister')
    .description('remove an identity (idempotent: exit 0 when it was not registered)')
    .argument('<identity>', 'the identity to remove')
    .addHelpText('after', '\nExample:\n  muster unregister sensor-1 -n iot-devices')
    .action(async (identity: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const { removed } = await namespaceClient(options).unregister(identity);
      if (options.json === true) writeJson(context.io, { identity, removed });
      else
        context.io.stdout.write(
          removed ? `unregistered ${identity}\n` : `${identity} was not registered\n`,
        );
    });
}
