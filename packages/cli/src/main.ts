import { MusterError } from '@muster/client';
import { CommanderError } from 'commander';
import type { CliIo } from './cli-context.js';
import { createProgram } from './create-program.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { UsageError } from './usage-error.js';

function describe(error: unknown): string {
  if (MusterError.is(error)) {
    const details =
      Object.keys(error.details).length === 0 ? '' : ` ${JSON.stringify(error.details)}`;
    return `${error.code}: ${error.message}${details}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `muster` with the arguments after the program name; resolves to the exit code (see
 * EXIT). Never calls process.exit, so it can run in-process too.
 */
export async function main(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = createProgram({
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has printed its message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    if (error instanceof UsageError) {
      io.stderr.write(`muster: ${error.message}\n`);
      return EXIT.USAGE;
    }
    io.stderr.write(`muster: ${describe(error)}\n`);
    return exitCodeFor(error);
  }
}
