import { main } from './main.js';

/** The `muster` process: real stdio, Ctrl-C (SIGINT) and SIGTERM end streaming commands cleanly. */
export async function run(): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C while closing (e.g. a hung unregister) exits at once.
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: stop.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
  // Streams and keep-alive sockets must not hold the process open once the command is done.
  process.stdout.write('', () => process.exit(code));
}
