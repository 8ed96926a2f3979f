import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./muster-bin.ts', import.meta.url));
/** The CLI on its TypeScript sources: tsx compiles, the source condition resolves workspaces. */
const NODE_ARGS = ['--conditions=@muster/source', '--import', 'tsx', BIN];

export interface MusterRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { MUSTER_URL: _, MUSTER_TOKEN: __, MUSTER_NAMESPACE: ___, ...rest } = process.env;
  return { ...rest, ...env };
}

/** Runs `muster args...` as a child process to its end. */
export function runMuster(
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<MusterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env: environment(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Starts a long-running `muster` (subscribe, watch, register --keep-alive). */
export function startMuster(
  args: readonly string[],
  env: Record<string, string> = {},
): {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when stderr contains `text` (e.g. "subscribed"). */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
  done: Promise<MusterRun>;
} {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env: environment(env) });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    wake();
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    wake();
  });
  const done = new Promise<MusterRun>((resolve) =>
    child.on('close', (code) => {
      wake();
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    child,
    output: () => stdout,
    async waitFor(text, stream = 'stderr') {
      const deadline = Date.now() + 30_000;
      while (!(stream === 'stderr' ? stderr : stdout).includes(text)) {
        if (child.exitCode !== null) throw new Error(`muster exited: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}": ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    done,
  };
}
