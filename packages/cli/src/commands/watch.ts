import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { parseCount } from '../parse-count.js';
import { parseFilterArgument } from '../parse-filter-argument.js';
import { recordJson } from '../record-json.js';

interface WatchCommandOptions extends GlobalOptions {
  readonly count?: number;
  readonly initial?: boolean;
}

export function addWatchCommand(program: Command, context: CommandContext): void {
  program
    .command('watch')
    .description('print identities as they start matching a filter, change, and stop matching')
    .argument('[filter]', 'a filter (string syntax or JSON form); omit for every identity')
    .option('--initial', 'first print every identity matching now (reason "initial")')
    .option('--count <n>', 'stop after n events', parseCount)
    .addHelpText(
      'after',
      `
Examples:
  muster watch 'battery_level < 0.2' -n iot-devices
  muster watch 'service_name == "payment-service" and health_status == "healthy"' -n services --initial --json

Each event is "added", "changed" or "removed" with its reason (initial, registered, updated,
unregistered, expired). With --json, one JSON object per line. A lost connection ends the
watch with exit code 7 (changes may have been missed: watch again with --initial).`,
    )
    .action(async (filterText: string | undefined, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<WatchCommandOptions>();
      const { io } = context;
      if (options.count === 0 || io.signal.aborted) return;
      const filter = parseFilterArgument(filterText);
      const watch = await namespaceClient(options).watch({
        ...(filter !== undefined && { filter }),
        initial: options.initial === true,
        signal: io.signal,
      });
      io.stderr.write(`watching ${options.namespace}; Ctrl-C to stop\n`);
      let seen = 0;
      for await (const event of watch) {
        if (options.json === true)
          writeJson(io, {
            type: event.type,
            reason: event.reason,
            identity: event.identity,
            at: new Date(event.at).toISOString(),
            ...(event.record !== undefined && { record: recordJson(event.record) }),
          });
        else
          io.stdout.write(
            `${event.type.padEnd(7)} ${event.reason.padEnd(12)} ${event.identity}${event.record === undefined ? '' : ` ${JSON.stringify(event.record.metadata)}`}\n`,
          );
        seen++;
        if (options.count !== undefined && seen >= options.count) break;
      }
      await watch.close();
    });
}
