import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import type { FilterNode } from '../ast/filter-node.js';
import { FilterError } from '../errors/filter-error.js';
import { compile } from '../evaluate/compile.js';
import { format } from '../format/format.js';
import { toJsonForm } from '../format/to-json-form.js';
import { parse } from '../parse.js';
import { validateMetadata } from '../validate/validate-metadata.js';

/** Exit codes follow grep: 0 something matched, 1 nothing matched, 2 an error. */
export const EXIT = Object.freeze({ MATCHED: 0, NO_MATCH: 1, ERROR: 2 });

interface CliOptions {
  readonly check?: boolean;
  readonly count?: boolean;
  readonly invert?: boolean;
}

/**
 * `muster-filter FILTER`: reads JSON documents (one per line) from stdin and prints those that
 * match. The filter is the string syntax, or the JSON form when it starts with `{`.
 */
export async function main(
  argv: readonly string[],
  stdin: Readable,
  stdout: Writable,
  stderr: Writable,
): Promise<number> {
  const program = new Command('muster-filter')
    .description(
      'Check a Muster filter and evaluate it against JSON documents read one per line from stdin.',
    )
    .argument(
      '<filter>',
      'filter in the string syntax (battery_level < 0.2) or the JSON form ({"battery_level.lt": 0.2})',
    )
    .option('--check', 'only check the filter: print its canonical string and JSON forms')
    .option('-c, --count', 'print the number of matching documents instead of the documents')
    .option('-v, --invert', 'print the documents that do not match')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });

  let source: string;
  let options: CliOptions;
  try {
    program.parse(argv);
    source = program.args[0]!;
    options = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.MATCHED : EXIT.ERROR;
    throw error;
  }

  let ast: FilterNode;
  try {
    ast = parse(source.trimStart().startsWith('{') ? JSON.parse(source) : source);
  } catch (error) {
    if (FilterError.is(error) || error instanceof SyntaxError) {
      stderr.write(`${FilterError.is(error) ? error.code : 'INVALID_FILTER'}: ${error.message}\n`);
      return EXIT.ERROR;
    }
    throw error;
  }

  if (options.check) {
    stdout.write(`string: ${format(ast)}\njson:   ${JSON.stringify(toJsonForm(ast))}\n`);
    return EXIT.MATCHED;
  }
  return filterLines(compile(ast), options, stdin, stdout, stderr);
}

async function filterLines(
  predicate: (metadata: Record<string, unknown>) => boolean,
  options: CliOptions,
  stdin: Readable,
  stdout: Writable,
  stderr: Writable,
): Promise<number> {
  let matched = 0;
  let failed = false;
  let lineNumber = 0;
  for await (const line of createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let document: unknown;
    try {
      document = JSON.parse(line);
      validateMetadata(document);
    } catch (error) {
      // A bad line is reported and skipped; the rest of the stream is still filtered.
      const code = FilterError.is(error) ? error.code : 'INVALID_JSON';
      stderr.write(`line ${lineNumber}: ${code}: ${(error as Error).message}\n`);
      failed = true;
      continue;
    }
    if (predicate(document) !== Boolean(options.invert)) {
      matched++;
      if (!options.count) stdout.write(`${line}\n`);
    }
  }
  if (options.count) stdout.write(`${matched}\n`);
  if (failed) return EXIT.ERROR;
  return matched > 0 ? EXIT.MATCHED : EXIT.NO_MATCH;
}
