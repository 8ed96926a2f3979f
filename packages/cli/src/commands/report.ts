import type { Command } from 'commander';
import { type CommandContext, type GlobalOptions, namespaceClient } from '../cli-context.js';
import { printReport } from '../print-report.js';

export function addReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description(
      "show an earlier multicast's delivery report (exit 4 when the server no longer has it)",
    )
    .argument('<multicast-id>', 'the id a multicast printed')
    .addHelpText('after', '\nExample:\n  muster report 0193f5a2-... -n iot-devices --json')
    .action(async (multicastId: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const report = await namespaceClient(options).getMulticast(multicastId);
      printReport(context.io, report, options.json === true);
    });
}
