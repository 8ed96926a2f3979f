import { readFile } from 'node:fs/promises';
import type { DeliveryMode, MulticastReport } from '@muster/client';
import { type Command, Option } from 'commander';
import {
  type CliIo,
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
} from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { parseDuration } from '../parse-duration.js';
import { parseFilterArgument } from '../parse-filter-argument.js';
import { printReport } from '../print-report.js';
import { UsageError } from '../usage-error.js';

interface MulticastOptions extends GlobalOptions {
  readonly payload?: string;
  readonly file?: string;
  readonly contentType?: string;
  readonly delivery?: DeliveryMode;
  readonly wait?: boolean;
  readonly timeout?: number;
  readonly idempotencyKey?: string;
  readonly all?: boolean;
}

async function readAll(input: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}

async function payloadOf(options: MulticastOptions, io: CliIo): Promise<Uint8Array | string> {
  if (options.payload !== undefined && options.file !== undefined)
    throw new UsageError('give --payload or --file, not both');
  if (options.payload !== undefined) return options.payload;
  if (options.file === undefined) throw new UsageError('give the message with --payload or --file');
  if (options.file !== '-') return new Uint8Array(await readFile(options.file));
  if (io.stdin === undefined) throw new UsageError('no standard input to read the payload from');
  return readAll(io.stdin);
}

/** Every target got the message: acknowledged (acked, at-least-once) or handed over (at-most-once). */
function complete(report: MulticastReport, waited: boolean): boolean {
  return report.deliveries.every((delivery) =>
    waited ? delivery.status === 'DELIVERED' : delivery.status !== 'FAILED',
  );
}

export function addMulticastCommand(program: Command, context: CommandContext): void {
  program
    .command('multicast')
    .description('send a message to every identity matching a filter and print the delivery report')
    .argument('[filter]', 'the targets: a filter (string syntax or JSON form); --all for everyone')
    .option('-p, --payload <text>', 'the message, as text')
    .option('-f, --file <path>', 'read the message from a file (- for standard input)')
    .option(
      '--content-type <type>',
      'the MIME type (default text/plain for --payload, else application/octet-stream)',
    )
    .addOption(
      new Option('--delivery <mode>', 'delivery guarantee').choices([
        'at-most-once',
        'acked',
        'at-least-once',
      ]),
    )
    .option(
      '--wait',
      'wait for every target to acknowledge (acked delivery unless --delivery is given); exit 9 unless all DELIVERED',
    )
    .option('--timeout <duration>', 'how long to wait for acknowledgements', parseDuration)
    .option(
      '--idempotency-key <key>',
      'a repeated multicast with this key returns the first report',
    )
    .option('--all', 'send to every identity in the namespace (required when no filter is given)')
    .addHelpText(
      'after',
      `
Examples:
  muster multicast 'firmware_version startswith "1.0"' -n iot-devices -p '{"command":"update_firmware"}' --content-type application/json
  muster multicast 'current_room == "engineering"' -n presence -p 'Hello team!' --wait --timeout 5s
  echo reload | muster multicast --all -n services -f -

Exit codes: 0 when every target got the message (with --wait: acknowledged it), 9 otherwise.`,
    )
    .action(async (filterText: string | undefined, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<MulticastOptions>();
      const filter = parseFilterArgument(filterText);
      if (filter === undefined && options.all !== true)
        throw new UsageError('give a filter, or --all to send to every identity');
      if (filter !== undefined && options.all === true)
        throw new UsageError('give a filter or --all, not both');
      const payload = await payloadOf(options, context.io);
      const waited = options.wait === true;
      const delivery = options.delivery ?? (waited ? 'acked' : undefined);
      const report = await namespaceClient(options).multicast({
        payload,
        ...(filter !== undefined && { filter }),
        ...(options.contentType !== undefined && { contentType: options.contentType }),
        ...(delivery !== undefined && { delivery }),
        ...(options.timeout !== undefined && { timeoutMs: options.timeout }),
        ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
      });
      printReport(context.io, report, options.json === true);
      if (!complete(report, waited)) context.setExitCode(EXIT.UNDELIVERED);
    });
}
