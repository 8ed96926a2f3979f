import type { Message } from '@muster/client';
import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { parseCount } from '../parse-count.js';

interface SubscribeCommandOptions extends GlobalOptions {
  readonly count?: number;
  readonly ack: boolean;
}

/** Text types are printed as text; anything else as base64. */
function isText(contentType: string): boolean {
  return /^text\/|^application\/(json|xml)|\+json|\+xml/i.test(contentType);
}

function messageJson(message: Message): Record<string, unknown> {
  const text = isText(message.contentType);
  return {
    messageId: message.messageId,
    multicastId: message.multicastId,
    identity: message.identity,
    contentType: message.contentType,
    attempt: message.attempt,
    ...(text
      ? { payload: message.text() }
      : { payloadBase64: Buffer.from(message.payload).toString('base64') }),
  };
}

export function addSubscribeCommand(program: Command, context: CommandContext): void {
  program
    .command('subscribe')
    .description("print an identity's messages as they arrive (acknowledging each), until Ctrl-C")
    .argument('<identity>', 'the identity to receive messages as')
    .option('--count <n>', 'stop after n messages', parseCount)
    .option('--no-ack', 'do not acknowledge (at-least-once messages stay queued)')
    .addHelpText(
      'after',
      `
Examples:
  muster subscribe sensor-temp-floor2-room5 -n iot-devices
  muster subscribe user-alice -n presence --json --count 1

Reconnects by itself after a network loss; queued (at-least-once) messages are delivered after
the reconnect and duplicates are dropped. With --json, one JSON object per line.`,
    )
    .action(async (identity: string, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<SubscribeCommandOptions>();
      const { io } = context;
      if (options.count === 0 || io.signal.aborted) return;
      const subscription = await namespaceClient(options).subscribe(identity, {
        signal: io.signal,
      });
      io.stderr.write(`subscribed as ${identity} in ${options.namespace}; Ctrl-C to stop\n`);
      let received = 0;
      for await (const message of subscription) {
        if (options.json === true) writeJson(io, messageJson(message));
        else {
          const body = isText(message.contentType)
            ? message.text()
            : `<${message.payload.byteLength} bytes, base64 ${Buffer.from(message.payload).toString('base64')}>`;
          io.stdout.write(
            `message ${message.messageId} (${message.contentType}, attempt ${message.attempt}): ${body}\n`,
          );
        }
        if (options.ack) await message.ack();
        received++;
        if (options.count !== undefined && received >= options.count) break;
      }
      await subscription.close();
    });
}
