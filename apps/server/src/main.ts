import { MusterError } from '@muster/core';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from './config/load-config.js';
import { DEFAULT_HOST, DEFAULT_PORT, type RunningServer, startServer } from './start-server.js';

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return port;
}

/** The `muster-server` command. Exit codes: 0 after a clean shutdown, 1 on startup failure. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = new Command('muster-server')
    .description(
      'Muster registry server: the muster.v1 RegistryService over gRPC, gRPC-Web and Connect',
    )
    .option(
      '-c, --config <file>',
      'YAML configuration (default: $MUSTER_CONFIG, else the in-memory default)',
    )
    .option('--host <address>', `address to bind (default: config, else ${DEFAULT_HOST})`)
    .option('-p, --port <port>', `port to bind (default: config, else ${DEFAULT_PORT})`, portNumber)
    .option('--tls-cert <file>', 'TLS certificate (PEM); needs --tls-key')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--insecure-allow-open', 'serve a non-loopback address without an auth section')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .addHelpText(
      'after',
      `
Examples:
  muster-server                                   in-memory, http://127.0.0.1:7070
  muster-server --config muster.yaml              namespaces and backends from YAML
  MUSTER_CONFIG=muster.yaml muster-server --port 8080
  curl -X POST -H 'content-type: application/json' \\
    http://127.0.0.1:7070/muster.v1.RegistryService/Enumerate -d '{"namespace":"default"}'`,
    );
  program.parse(argv as string[]);
  const flags = program.opts<{
    config?: string;
    host?: string;
    port?: number;
    tlsCert?: string;
    tlsKey?: string;
    insecureAllowOpen?: boolean;
    logLevel?: string;
  }>();
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
    program.error('--tls-cert and --tls-key go together');
  const file = flags.config ?? process.env.MUSTER_CONFIG;
  let server: RunningServer;
  try {
    server = await startServer({
      ...(file === undefined ? {} : { config: await loadConfig(file) }),
      ...(flags.host === undefined ? {} : { host: flags.host }),
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.tlsCert === undefined || flags.tlsKey === undefined
        ? {}
        : { tls: { cert: flags.tlsCert, key: flags.tlsKey } }),
      ...(flags.insecureAllowOpen === true ? { insecureAllowOpen: true } : {}),
      ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
    });
  } catch (error) {
    process.stderr.write(
      `muster-server: ${MusterError.is(error) || error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
    return;
  }
  let signals = 0;
  const stop = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      server.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    server.logger.info({ signal }, 'received signal');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
