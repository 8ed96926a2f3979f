import { createClient, type NamespaceClient } from '@muster/client';

/** Where a command writes, and the signal that stops a long-running one (Ctrl-C). */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Read by `multicast --file -`. */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** Aborted on SIGINT/SIGTERM: streaming commands end cleanly (exit 0). */
  readonly signal: AbortSignal;
}

/** The options every command takes (see `muster --help`). */
export interface GlobalOptions {
  readonly url: string;
  readonly token?: string;
  readonly namespace: string;
  readonly json?: boolean;
}

/** What a command's action gets: output, the options and a client for the namespace. */
export interface CommandContext {
  readonly io: CliIo;
  /** Sets the process exit code without throwing (e.g. a multicast that was not delivered). */
  setExitCode(code: number): void;
}

export function namespaceClient(options: GlobalOptions): NamespaceClient {
  const client = createClient({
    baseUrl: options.url,
    ...(options.token !== undefined && options.token !== '' && { token: options.token }),
  });
  return client.namespace(options.namespace);
}

/** Writes one line of JSON (records and events, one per line when streaming). */
export function writeJson(io: CliIo, value: unknown, pretty = false): void {
  io.stdout.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
}
