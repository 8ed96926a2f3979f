import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import type { CommandContext } from './cli-context.js';
import { addEnumerateCommand } from './commands/enumerate.js';
import { addGetCommand } from './commands/get.js';
import { addHeartbeatCommand } from './commands/heartbeat.js';
import { addMulticastCommand } from './commands/multicast.js';
import { addRegisterCommand } from './commands/register.js';
import { addReportCommand } from './commands/report.js';
import { addSubscribeCommand } from './commands/subscribe.js';
import { addUnregisterCommand } from './commands/unregister.js';
import { addWatchCommand } from './commands/watch.js';

// src/ and dist/ both sit one level below the package root.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const EXIT_CODES_HELP = `
Environment:
  MUSTER_URL        the server (default http://127.0.0.1:7070)
  MUSTER_TOKEN      an API key (sent as a bearer token)
  MUSTER_NAMESPACE  the namespace (default "default")

Exit codes:
  0  success
  1  any other error
  2  usage: unknown command or option, missing argument, bad value
  3  the server rejected the request (INVALID_ARGUMENT, INVALID_FILTER, INVALID_METADATA)
  4  not found (NOT_FOUND)
  5  already exists (ALREADY_EXISTS; register --replace to overwrite)
  6  not allowed (UNAUTHENTICATED, PERMISSION_DENIED)
  7  unavailable (UNAVAILABLE, TIMEOUT): server or backend unreachable; retry later
  8  limited (QUOTA_EXCEEDED, RATE_LIMITED)
  9  a multicast did not reach every target (with --wait: not every target acknowledged)
  10 unsupported by the server's backend (UNSUPPORTED)

Examples:
  muster register sensor-1 -n iot-devices -m battery_level=0.1 -m firmware_version=1.0.3 --ttl 60s
  muster enumerate 'battery_level < 0.2' --namespace iot-devices
  muster subscribe sensor-1 -n iot-devices          # in a second terminal
  muster multicast 'battery_level < 0.2' -n iot-devices -p 'charge now' --wait
  muster watch 'battery_level < 0.2' -n iot-devices --initial`;

/** The `muster` command line: global options, then one subcommand per operation. */
export function createProgram(context: CommandContext): Command {
  const program = new Command('muster')
    .description(
      'Operate a Muster multicast registry: register, enumerate, multicast, subscribe, watch.',
    )
    .version(version)
    .addOption(
      new Option('--url <url>', 'the Muster server')
        .env('MUSTER_URL')
        .default('http://127.0.0.1:7070'),
    )
    .addOption(new Option('--token <token>', 'API key (bearer token)').env('MUSTER_TOKEN'))
    .addOption(
      new Option('-n, --namespace <name>', 'the namespace')
        .env('MUSTER_NAMESPACE')
        .default('default'),
    )
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
  for (const add of [
    addRegisterCommand,
    addHeartbeatCommand,
    addUnregisterCommand,
    addGetCommand,
    addEnumerateCommand,
    addMulticastCommand,
    addReportCommand,
    addSubscribeCommand,
    addWatchCommand,
  ])
    add(program, context);
  for (const command of program.commands) command.exitOverride();
  return program;
}
