import type { IdentityRecord, SortSpec } from '@muster/client';
import type { Command } from 'commander';
import {
  type CommandContext,
  type GlobalOptions,
  namespaceClient,
  writeJson,
} from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatExpiry } from '../format-time.js';
import { formatValue } from '../format-value.js';
import { parseCount } from '../parse-count.js';
import { parseFilterArgument } from '../parse-filter-argument.js';
import { recordJson } from '../record-json.js';

interface EnumerateOptions extends GlobalOptions {
  readonly limit: number;
  readonly sort: string[];
  readonly columns?: string;
  readonly count?: boolean;
}

/** Metadata columns shown by default (the first fields seen, in order). */
const DEFAULT_COLUMNS = 6;

function parseSort(spec: string): SortSpec {
  const [by, direction] = spec.split(':');
  return direction === 'desc' ? { by: by!, direction: 'desc' } : { by: by! };
}

export function addEnumerateCommand(program: Command, context: CommandContext): void {
  program
    .command('enumerate')
    .alias('ls')
    .description('list the identities matching a filter (a table; --json for JSON)')
    .argument('[filter]', 'a filter in the string syntax, or a JSON-form object; omit for all')
    .option('--limit <n>', 'print at most n identities (0: all of them)', parseCount, 100)
    .option(
      '--sort <field[:desc]>',
      'sort key (repeatable): a metadata path, registered_at or identity',
      (spec: string, all: string[]) => [...all, spec],
      [],
    )
    .option('--columns <fields>', 'metadata fields to show, comma-separated')
    .option('--count', 'print only the number of matches')
    .addHelpText(
      'after',
      `
Examples:
  muster enumerate 'battery_level < 0.2' --namespace iot-devices
  muster enumerate 'current_room == "engineering" and status == "online"' -n presence --json
  muster enumerate '{"firmware_version.startswith": "1.0"}' -n iot-devices --sort battery_level
  muster enumerate -n iot-devices --count`,
    )
    .action(async (filterText: string | undefined, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<EnumerateOptions>();
      const { io } = context;
      const namespace = namespaceClient(options);
      const filter = parseFilterArgument(filterText);
      const base = {
        ...(filter !== undefined && { filter }),
        ...(options.sort.length > 0 && { sort: options.sort.map(parseSort) }),
      };
      if (options.count === true) {
        const page = await namespace.enumerate({
          ...base,
          limit: 1,
          includeMetadata: false,
          totalCount: true,
        });
        io.stdout.write(
          options.json === true
            ? `${JSON.stringify({ count: page.totalCount })}\n`
            : `${page.totalCount}\n`,
        );
        return;
      }
      const records: IdentityRecord[] = [];
      let more = false;
      const pageSize = options.limit === 0 ? 1000 : Math.min(options.limit + 1, 1000);
      for await (const record of namespace.enumerateAll({ ...base, limit: pageSize })) {
        if (options.limit !== 0 && records.length === options.limit) {
          more = true;
          break;
        }
        records.push(record);
      }
      if (options.json === true) {
        writeJson(io, records.map(recordJson), true);
        return;
      }
      const columns =
        options.columns === undefined
          ? [...new Set(records.flatMap((record) => Object.keys(record.metadata)))].slice(
              0,
              DEFAULT_COLUMNS,
            )
          : options.columns.split(',').filter((column) => column !== '');
      const now = Date.now();
      io.stdout.write(
        formatTable(
          ['IDENTITY', ...columns.map((column) => column.toUpperCase()), 'EXPIRES'],
          records.map((record) => [
            record.identity,
            ...columns.map((column) => formatValue(valueAt(record.metadata, column))),
            formatExpiry(record.expiresAt, now),
          ]),
        ),
      );
      io.stderr.write(
        more
          ? `${records.length} shown; more match (--limit 0 for all)\n`
          : `${records.length} ${records.length === 1 ? 'identity' : 'identities'}\n`,
      );
    });
}

/** A dotted path's value in metadata (`location.building`). */
function valueAt(metadata: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = metadata;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
