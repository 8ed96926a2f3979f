import { readFile } from 'node:fs/promises';
import { MusterError } from '@muster/core';
import { type Document, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { checkConfig } from './check-config.js';
import { configSchema, type ServerConfig } from './config-schema.js';

export interface ConfigProblem {
  readonly key: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** `${NAME}` or `${NAME:-default}` in a string value. */
const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Reads, substitutes and validates a YAML config file (see parseConfig). */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MusterError(
      'INVALID_ARGUMENT',
      `cannot read config file ${file}: ${(error as Error).message}`,
      {
        details: { file },
        cause: error,
      },
    );
  }
  return parseConfig(text, file, env);
}

/**
 * A config from YAML text. `${ENV}` references in string values are replaced from `env` (secrets
 * and URLs stay out of the file). Every problem is reported at once, each as
 * `file:line:column key: message`; throws INVALID_ARGUMENT with them in `details.problems`.
 */
export function parseConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: ConfigProblem[] = [];
  for (const error of document.errors) {
    const position = lines.linePos(error.pos[0]);
    problems.push({
      key: '(yaml)',
      line: position.line,
      column: position.col,
      message: error.message.split('\n')[0] ?? error.message,
    });
  }
  if (problems.length === 0) {
    substituteEnv(document, env, lines, problems);
    const parsed = configSchema.safeParse(document.toJS());
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const path = issue.path as readonly PropertyKey[];
        if (issue.code === 'unrecognized_keys')
          // One problem per unknown key, at the key's own line (a typo is found at once).
          for (const key of issue.keys)
            problems.push(locate(document, lines, [...path, key], `unknown key "${key}"`));
        else problems.push(locate(document, lines, path, issue.message));
      }
    else {
      const names = new Map<string, number>();
      parsed.data.namespaces.forEach((namespace, index) => {
        const first = names.get(namespace.name);
        if (first !== undefined)
          problems.push(
            locate(
              document,
              lines,
              ['namespaces', index, 'name'],
              `namespace "${namespace.name}" is declared twice (first at namespaces.${first})`,
            ),
          );
        names.set(namespace.name, index);
      });
      for (const problem of checkConfig(parsed.data))
        problems.push(locate(document, lines, problem.path, problem.message));
      if (problems.length === 0) return parsed.data;
    }
  }
  throw configError(file, problems);
}

export function configError(file: string, problems: readonly ConfigProblem[]): MusterError {
  const text = problems
    .map(
      (problem) =>
        `${file}:${problem.line ?? '?'}:${problem.column ?? '?'} ${problem.key}: ${problem.message}`,
    )
    .join('\n');
  return new MusterError('INVALID_ARGUMENT', `invalid configuration\n${text}`, {
    details: { file, problems: problems.map((problem) => ({ ...problem })) },
  });
}

/** The line and column of the value at `path`, or of its nearest existing parent. */
export function locate(
  document: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  message: string,
): ConfigProblem {
  const key = path.length === 0 ? '(root)' : path.map(String).join('.');
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range !== undefined) {
      const position = lines.linePos(range[0]);
      return { key, line: position.line, column: position.col, message };
    }
  }
  return { key, message };
}

function substituteEnv(
  document: Document,
  env: NodeJS.ProcessEnv,
  lines: LineCounter,
  problems: ConfigProblem[],
): void {
  visit(document, {
    Scalar(_key, node, path) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(
        ENV_REFERENCE,
        (_match, name: string, fallback: string | undefined) => {
          const value = env[name];
          if (value !== undefined && value !== '') return value;
          if (fallback !== undefined) return fallback;
          const position =
            node.range === undefined || node.range === null
              ? undefined
              : lines.linePos(node.range[0]);
          problems.push({
            key: keyPath(path, node),
            ...(position === undefined ? {} : { line: position.line, column: position.col }),
            message: `environment variable ${name} is not set (write \${${name}:-default} for a default)`,
          });
          return '';
        },
      );
    },
  });
}

/** The dotted key of a node from the ancestors `visit` gives (pairs name the keys). */
function keyPath(path: readonly unknown[], node: unknown): string {
  const keys: string[] = [];
  path.forEach((ancestor, index) => {
    if (isSeq(ancestor))
      keys.push(String(ancestor.items.indexOf((path[index + 1] ?? node) as never)));
    else if (isPair(ancestor) && isScalar(ancestor.key)) keys.push(String(ancestor.key.value));
  });
  return keys.join('.') || '(root)';
}
